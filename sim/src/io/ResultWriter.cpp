#include "ResultWriter.h"

#include <type_traits>

#include "orgsim/core/Error.h"
#include "orgsim/engine/Executor.h"

namespace orgsim::io {
namespace {

// Chunks of the per-run columns (summaries, design): 32 KiB, 4096 runs of an 8-byte value.
// Assembly holds one chunk of each, about fifty of them, so a chunk's size is what memory
// grows by with the number of runs until a sweep has that many.
constexpr std::size_t kRunColumnChunkBytes = 32 * 1024;

// create_variable with chunks of kRunColumnChunkBytes.
template <class T>
hdf5::Handle create_run_column(hid_t group, const std::string& name,
                               const std::vector<hsize_t>& shape,
                               const std::vector<const hdf5::Handle*>& scales) {
  return hdf5::create_variable<T>(group, name, shape, scales,
                                  hdf5::chunk_shape(shape, sizeof(T), kRunColumnChunkBytes));
}

hdf5::Handle create_column(hid_t group, const DatasetSchema& dataset,
                           const std::vector<hsize_t>& shape,
                           const std::vector<const hdf5::Handle*>& scales) {
  switch (dataset.type) {
    case ValueType::float64:
      return create_run_column<double>(group, dataset.name, shape, scales);
    case ValueType::int64:
      return create_run_column<std::int64_t>(group, dataset.name, shape, scales);
    case ValueType::uint64:
      return create_run_column<std::uint64_t>(group, dataset.name, shape, scales);
    case ValueType::int32:
      return create_run_column<std::int32_t>(group, dataset.name, shape, scales);
    case ValueType::text:
      break;
  }
  return hdf5::create_strings(group, dataset.name, shape, scales);
}

void describe(hid_t dataset, const std::string& units, const std::string& long_name) {
  hdf5::set_attribute(dataset, "units", units);
  hdf5::set_attribute(dataset, "long_name", long_name);
}

void describe(hid_t dataset, const ScaleSchema& scale) {
  describe(dataset, scale.units, scale.long_name);
}

void write_column(const hdf5::Handle& dataset, const std::vector<hsize_t>& start,
                  const std::vector<hsize_t>& extent, const RunBlock::Column& column) {
  std::visit(
      [&](const auto& values) {
        if constexpr (std::is_same_v<std::decay_t<decltype(values)>, std::vector<std::string>>) {
          hdf5::write_strings_slab(dataset, start, extent, values);
        } else {
          hdf5::write_slab(dataset, start, extent, values.data());
        }
      },
      column);
}

}  // namespace

ResultWriter::ResultWriter(const std::string& target, const ResultSchema& schema,
                           const Provenance& provenance)
    : schema_(schema),
      target_(target),
      threads_(provenance.threads),
      compress_trajectories_(provenance.compress_trajectories) {
  file_ = hdf5::Handle(H5Fcreate(target.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!file_.valid()) throw IoError("cannot create '" + target + "'; check the disk and --out");
  const hid_t root = file_.get();
  for (const auto& [name, value] : schema.attributes) {
    std::visit([&, &name = name](const auto& v) { hdf5::set_attribute(root, name, v); }, value);
  }
  const bool comparison = schema.comparison();
  const hsize_t study_count = schema.scenario_names.size();
  const hsize_t runs = schema.runs;
  const hsize_t firm_count = schema.firm_names.size();
  const hsize_t period_count = schema.periods.size();

  // The groups, then each one's scales, then each one's per-run columns, then its variables.
  groups_.resize(schema.groups.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    groups_[g].group = hdf5::create_group(root, schema.groups[g].name);
    if (!schema.groups[g].comment.empty()) {
      hdf5::set_attribute(groups_[g].group.get(), "comment", schema.groups[g].comment);
    }
  }
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const GroupSchema& described = schema.groups[g];
    const hid_t group = groups_[g].group.get();
    Scales& scales = groups_[g].scales;
    if (comparison) {
      std::vector<std::int32_t> numbers(study_count);
      for (std::size_t s = 0; s < study_count; ++s) numbers[s] = static_cast<std::int32_t>(s);
      scales.scenario = hdf5::write_coordinate(group, schema.scenario.name, numbers);
      describe(scales.scenario.get(), schema.scenario);
      scales.scenario_name = hdf5::write_strings(group, schema.scenario_name.name,
                                                 schema.scenario_names, scales.scenario);
      describe(scales.scenario_name.get(), schema.scenario_name);
    }
    // Filled block by block with the runs' data.
    const DatasetSchema& run = described.columns.front();
    scales.run = hdf5::create_coordinate<std::int64_t>(group, run.name, runs);
    describe(scales.run.get(), run.units, run.long_name);
    if (described.firms) {
      std::vector<std::int32_t> numbers(firm_count);
      for (std::size_t f = 0; f < firm_count; ++f) numbers[f] = static_cast<std::int32_t>(f);
      scales.firm = hdf5::write_coordinate(group, schema.firm.name, numbers);
      describe(scales.firm.get(), schema.firm);
      scales.firm_name =
          hdf5::write_strings(group, schema.firm_name.name, schema.firm_names, scales.firm);
      describe(scales.firm_name.get(), schema.firm_name);
    }
    if (described.periods) {
      scales.period = hdf5::write_coordinate(group, schema.period.name, schema.periods);
      describe(scales.period.get(), schema.period);
    }
  }
  // The leading dimensions of every per-run dataset: (scenario,) run.
  auto leading = [&](const Scales& scales) {
    std::pair<std::vector<hsize_t>, std::vector<const hdf5::Handle*>> result;
    if (comparison) {
      result.first.push_back(study_count);
      result.second.push_back(&scales.scenario);
    }
    result.first.push_back(runs);
    result.second.push_back(&scales.run);
    return result;
  };
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const auto [shape, dims] = leading(groups_[g].scales);
    groups_[g].columns.emplace_back();  // the run coordinate: scales.run
    for (std::size_t c = 1; c < schema.groups[g].columns.size(); ++c) {
      const DatasetSchema& column = schema.groups[g].columns[c];
      groups_[g].columns.push_back(create_column(groups_[g].group.get(), column, shape, dims));
      describe(groups_[g].columns.back().get(), column.units, column.long_name);
    }
  }

  // The trajectories: chunks of whole runs (one scenario's), each compressed here, several
  // at once, and stored as it is (HDF5 would compress them one at a time).
  std::vector<hsize_t> trajectory_shape = {runs, period_count, firm_count};
  trajectory_chunk_ = hdf5::chunk_shape(trajectory_shape, sizeof(double));
  block_runs_ = period_count * firm_count > 0 ? static_cast<std::size_t>(trajectory_chunk_[0])
                                              : kRunColumnChunkBytes / sizeof(double);
  if (comparison) {
    trajectory_shape.insert(trajectory_shape.begin(), study_count);
    trajectory_chunk_.insert(trajectory_chunk_.begin(), 1);
  }
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const GroupSchema& described = schema.groups[g];
    const hid_t group = groups_[g].group.get();
    const Scales& scales = groups_[g].scales;
    auto [shape, dims] = leading(scales);
    if (described.periods) {
      shape = trajectory_shape;
      dims.push_back(&scales.period);
    } else {
      shape.push_back(firm_count);
    }
    dims.push_back(&scales.firm);
    for (const DatasetSchema& variable : described.variables) {
      groups_[g].variables.push_back(
          described.periods
              ? hdf5::create_variable<double>(group, variable.name, shape, dims, trajectory_chunk_,
                                              compress_trajectories_)
              : create_run_column<double>(group, variable.name, shape, dims));
      describe(groups_[g].variables.back().get(), variable.units, variable.long_name);
      hdf5::set_attribute(groups_[g].variables.back().get(), "coordinates", schema.coordinates);
    }
    if (described.periods) {
      compressed_.resize(described.variables.size());
      scratch_.resize(described.variables.size());
    }
  }
}

void ResultWriter::write(std::size_t scenario, const RunBlock& block) {
  const bool comparison = schema_.comparison();
  const std::size_t per_run = schema_.periods.size() * schema_.firm_names.size();
  std::vector<hsize_t> start, extent;
  if (comparison) {
    start.push_back(scenario);
    extent.push_back(1);
  }
  start.push_back(block.begin());
  extent.push_back(block.count());
  // The trajectories a chunk at a time, the summaries a slab of runs and firms at a time.
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const GroupSchema& described = schema_.groups[g];
    const auto& variables = described.variables;
    if (described.periods) {
      if (per_run == 0) continue;
      std::vector<hsize_t> offset = start;
      offset.insert(offset.end(), {0, 0});
      auto values = [&](std::size_t v) -> const std::vector<double>& {
        return block.trajectory(variables[v].index);
      };
      if (!compress_trajectories_) {
        for (std::size_t v = 0; v < variables.size(); ++v) {
          hdf5::write_raw_chunk(groups_[g].variables[v], offset, values(v).data(),
                                values(v).size() * sizeof(double));
        }
        continue;
      }
      engine::for_each_parallel(variables.size(), threads_, [&](std::size_t v) {
        hdf5::compress_chunk(reinterpret_cast<const unsigned char*>(values(v).data()),
                             values(v).size() * sizeof(double), sizeof(double), scratch_[v],
                             compressed_[v]);
      });
      for (std::size_t v = 0; v < variables.size(); ++v) {
        hdf5::write_chunk(groups_[g].variables[v], offset, compressed_[v]);
      }
    } else {
      std::vector<hsize_t> firm_start = start, firm_extent = extent;
      firm_start.push_back(0);
      firm_extent.push_back(schema_.firm_names.size());
      for (std::size_t v = 0; v < variables.size(); ++v) {
        hdf5::write_slab(groups_[g].variables[v], firm_start, firm_extent,
                         block.summary(variables[v].index).data());
      }
    }
  }
  // The design's columns of these runs, in every group that has them.
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const auto& columns = schema_.groups[g].columns;
    // The run coordinate has no scenario dimension: written with the first scenario's runs.
    if (scenario == 0) {
      write_column(groups_[g].scales.run, {block.begin()}, {block.count()},
                   block.column(columns.front()));
    }
    for (std::size_t c = 1; c < columns.size(); ++c) {
      write_column(groups_[g].columns[c], start, extent, block.column(columns[c]));
    }
  }
}

void ResultWriter::flush() {
  hdf5::check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flushing " + target_);
}

}  // namespace orgsim::io
