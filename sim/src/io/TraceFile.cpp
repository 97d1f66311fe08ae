#include "orgsim/io/TraceFile.h"
#include "orgsim/core/NumberText.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <sstream>

#include "orgsim/Version.h"
#include "orgsim/core/Error.h"
#include "orgsim/io/DurableFile.h"
#include "orgsim/io/ResultFile.h"
#include "orgsim/model/Observation.h"

namespace fs = std::filesystem;

namespace orgsim::io {
namespace {

std::string plural(std::size_t count, const std::string& noun) {
  return thousands_text(count) + " " + noun + (count == 1 ? "" : "s");
}

bool is_headcount(std::size_t q) {
  return q == static_cast<std::size_t>(model::Quantity::headcount);
}

void describe(const hdf5::Handle& dataset, const std::string& units, const std::string& long_name) {
  hdf5::set_attribute(dataset.get(), "units", units);
  hdf5::set_attribute(dataset.get(), "long_name", long_name);
}

}  // namespace

TraceProvenance trace_provenance(const engine::Study& study, const engine::RunPlan& plan,
                                 const std::string& command_line,
                                 const std::string& scenario_file) {
  TraceProvenance provenance;
  provenance.command_line = command_line;
  provenance.scenario_file = scenario_file;
  provenance.scenario = study.scenario_text();
  provenance.fingerprint = study.fingerprint();
  provenance.seed = plan.seed;
  provenance.replication = plan.replication;
  provenance.every = plan.every;
  return provenance;
}

std::string trace_size_text(const engine::TraceShape& shape) {
  return "about " + byte_text(engine::trace_bytes(shape)) + " (" + plural(shape.periods, "period") +
         " x " + plural(shape.firms, "firm") + " x " + plural(shape.employees, "employee") + " x " +
         plural(shape.dimensions, "dimension") + ")";
}

void check_trace_size(const engine::TraceShape& shape, std::uint64_t limit,
                      const std::string& what) {
  const std::uint64_t bytes = engine::trace_bytes(shape);
  if (bytes <= limit) return;
  // A limit in MB (10^6 bytes) that takes it, two significant figures rounded up.
  std::uint64_t megabytes = (bytes + 999'999) / 1'000'000;
  std::uint64_t step = 1;
  while (megabytes / step >= 100) step *= 10;
  megabytes = (megabytes + step - 1) / step * step;
  throw ConfigError("a trace of " + what + " would be " + trace_size_text(shape) +
                    ", over the limit of " + byte_text(limit) +
                    "; record fewer periods with --every K, or raise the limit with --max-size " +
                    std::to_string(megabytes));
}

TraceFile::TraceFile(std::string path, const engine::TraceShape& shape,
                     const TraceProvenance& provenance, bool overwrite)
    : path_(std::move(path)), shape_(shape) {
  hdf5::silence_errors();
  if (fs::exists(path_) && !overwrite) {
    throw ConfigError("'" + path_ +
                      "' already exists; pass --force to overwrite it or --out to choose another "
                      "file");
  }
  const fs::path directory = fs::path(path_).parent_path();
  if (!directory.empty() && !fs::is_directory(directory)) {
    throw IoError("the directory of '" + path_ + "' does not exist; create it or choose another " +
                  "--out");
  }
  remove_stale_temporaries(path_);
  temporary_ = temporary_path_for(path_);
  file_ = hdf5::Handle(H5Fcreate(temporary_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!file_.valid()) {
    throw IoError("cannot create '" + temporary_ + "' for the trace '" + path_ +
                  "'; check that its directory is writable and the disk not full, or use --out");
  }
  try {
    const hid_t root = file_.get();
    hdf5::set_attribute(root, "orgsim_format", std::string(kTraceFormat));
    hdf5::set_attribute(root, "orgsim_format_version", kTraceFormatVersion);
    hdf5::set_attribute(root, "orgsim_version", std::string(kOrgsimVersion));
    hdf5::set_attribute(root, "git_revision", std::string(kGitRevision));
    hdf5::set_attribute(root, "command_line", provenance.command_line);
    hdf5::set_attribute(root, "scenario_file", provenance.scenario_file);
    hdf5::set_attribute(root, "scenario", provenance.scenario);
    hdf5::set_attribute(root, "fingerprint", provenance.fingerprint);
    hdf5::set_attribute(root, "master_seed", provenance.seed);
    hdf5::set_attribute(root, "replication", provenance.replication);
    hdf5::set_attribute(root, "every", static_cast<std::int64_t>(provenance.every));
    hdf5::set_attribute(root, "created_utc", utc_timestamp());
    hdf5::set_attribute(root, "title", std::string("orgsim employee trace"));
    hdf5::set_attribute(
        root, "padding",
        std::string("employee slots at and beyond a firm's headcount hold padding: beliefs -128, "
                    "performance and team -2147483648, role 255, employee_output, autonomy and "
                    "pressure "
                    "NaN; mask with employee < headcount"));

    const std::size_t P = shape_.periods;
    const std::size_t F = shape_.firms;
    const std::size_t E = shape_.employees;
    const std::size_t D = shape_.dimensions;
    for (std::size_t k = 0; k < P; ++k) {
      periods_.push_back(
          static_cast<std::int32_t>((k + 1) * static_cast<std::size_t>(provenance.every)));
    }
    auto numbers = [](std::size_t n) {
      std::vector<std::int32_t> values(n);
      for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<std::int32_t>(i);
      return values;
    };
    scales_.push_back(hdf5::write_coordinate(root, "period", periods_));
    describe(scales_.back(), "periods", "period at which the state was recorded");
    scales_.push_back(hdf5::write_string_coordinate(root, "firm", shape_.firm_names));
    describe(scales_.back(), "", "firm name (group of the scenario, and number)");
    scales_.push_back(hdf5::write_coordinate(root, "employee", numbers(E)));
    describe(scales_.back(), "1",
             "employee slot: the firm's place of the employee; slots at and beyond headcount "
             "are padding");
    scales_.push_back(hdf5::write_coordinate(root, "dimension", numbers(D)));
    describe(scales_.back(), "1", "dimension of reality and of every belief vector");
    const hdf5::Handle* period = &scales_[0];
    const hdf5::Handle* firm = &scales_[1];
    const hdf5::Handle* employee = &scales_[2];
    const hdf5::Handle* dimension = &scales_[3];

    const std::vector<hsize_t> slots = {P, F, E};
    const std::vector<const hdf5::Handle*> slot_scales = {period, firm, employee};
    beliefs_ = hdf5::create_variable<std::int8_t>(root, "beliefs", {P, F, E, D},
                                                  {period, firm, employee, dimension});
    describe(beliefs_, "1", "employee's belief on each dimension: -1, 0 (none) or +1");
    code_ = hdf5::create_variable<std::int8_t>(root, "code", {P, F, D}, {period, firm, dimension});
    describe(code_, "1", "the firm's organisational code: -1, 0 (none) or +1");
    reality_ = hdf5::create_variable<std::int8_t>(root, "reality", {P, D}, {period, dimension});
    describe(reality_, "1", "reality, shared by every firm: -1 or +1");
    performance_ = hdf5::create_variable<std::int32_t>(root, "performance", slots, slot_scales);
    describe(performance_, "1",
             "P_i, the score of this period's action (right minus wrong dimensions); 0 for "
             "employees hired at the end of the period");
    team_ = hdf5::create_variable<std::int32_t>(root, "team", slots, slot_scales);
    describe(team_, "1", "the producer's team, slot / span_of_control; -1 for explorers");
    role_ = hdf5::create_variable<std::uint8_t>(root, "role", slots, slot_scales);
    describe(role_, "1", "0 producer, 1 explorer");
    output_ = hdf5::create_variable<double>(root, "employee_output", slots, slot_scales);
    describe(output_, "share of dimensions", "y_i, this period's output (0 for explorers)");
    autonomy_ = hdf5::create_variable<double>(root, "autonomy", slots, slot_scales);
    describe(autonomy_, "1", "a_i, drawn at hire");
    pressure_ = hdf5::create_variable<double>(root, "pressure", slots, slot_scales);
    describe(pressure_, "1",
             "pressure of the producer's team manager; NaN for explorers (no manager)");
    hdf5::set_attribute(beliefs_.get(), "padding", std::int64_t{kBeliefPadding});
    hdf5::set_attribute(performance_.get(), "padding", std::int64_t{kIntegerPadding});
    hdf5::set_attribute(team_.get(), "padding", std::int64_t{kIntegerPadding});
    hdf5::set_attribute(role_.get(), "padding", std::int64_t{kRolePadding});
    for (const auto* padded : {&output_, &autonomy_, &pressure_}) {
      hdf5::set_attribute(padded->get(), "padding", std::string("NaN"));
    }
    headcount_ = hdf5::create_variable<std::int32_t>(root, "headcount", {P, F}, {period, firm});
    describe(headcount_, "employees", "headcount: employee slots [0, headcount) are employees");
    for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
      if (is_headcount(q)) continue;
      const auto& info = model::quantity_info()[q];
      quantities_.push_back(
          hdf5::create_variable<double>(root, std::string(info.name), {P, F}, {period, firm}));
      describe(quantities_.back(), std::string(info.unit), std::string(info.meaning));
    }
    belief_rows_.resize(F * E * D);
    code_rows_.resize(F * D);
    performance_rows_.resize(F * E);
    team_rows_.resize(F * E);
    role_rows_.resize(F * E);
    output_rows_.resize(F * E);
    autonomy_rows_.resize(F * E);
    pressure_rows_.resize(F * E);
    headcounts_.resize(F);
    quantity_rows_.resize(F);
  } catch (...) {
    close();
    std::error_code ignored;
    fs::remove(temporary_, ignored);
    throw;
  }
}

TraceFile::~TraceFile() {
  if (published_) return;
  close();
  std::error_code ignored;
  fs::remove(temporary_, ignored);
}

void TraceFile::close() {
  for (auto* handle : {&beliefs_, &code_, &reality_, &performance_, &team_, &role_, &output_,
                       &autonomy_, &pressure_, &headcount_}) {
    handle->reset();
  }
  quantities_.clear();
  scales_.clear();
  file_.reset();
}

void TraceFile::record(const engine::TracePeriod& period) {
  const std::size_t F = shape_.firms;
  const std::size_t E = shape_.employees;
  const std::size_t D = shape_.dimensions;
  if (period.index != recorded_ || period.index >= shape_.periods || period.firms.size() != F ||
      period.observed.size() != F || period.reality.size() != D ||
      period.period != periods_[period.index]) {
    throw std::logic_error("trace period " + std::to_string(period.period) +
                           " does not fit the measured shape of the trace '" + path_ + "'");
  }
  std::fill(belief_rows_.begin(), belief_rows_.end(), kBeliefPadding);
  std::fill(performance_rows_.begin(), performance_rows_.end(), kIntegerPadding);
  std::fill(team_rows_.begin(), team_rows_.end(), kIntegerPadding);
  std::fill(role_rows_.begin(), role_rows_.end(), kRolePadding);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::fill(output_rows_.begin(), output_rows_.end(), nan);
  std::fill(autonomy_rows_.begin(), autonomy_rows_.end(), nan);
  std::fill(pressure_rows_.begin(), pressure_rows_.end(), nan);
  for (std::size_t f = 0; f < F; ++f) {
    const model::EmployeeState& state = period.firms[f];
    const auto n = static_cast<std::size_t>(state.headcount);
    if (n > E || static_cast<std::size_t>(state.dimensions) != D) {
      throw std::logic_error("trace period " + std::to_string(period.period) + ": firm " +
                             shape_.firm_names[f] + " has " + std::to_string(n) +
                             " employees, more than the measured " + std::to_string(E));
    }
    std::copy(state.beliefs.begin(), state.beliefs.end(), belief_rows_.begin() + f * E * D);
    std::copy(state.code.begin(), state.code.end(), code_rows_.begin() + f * D);
    const auto at = static_cast<std::ptrdiff_t>(f * E);
    std::copy(state.performance.begin(), state.performance.end(), performance_rows_.begin() + at);
    std::copy(state.team.begin(), state.team.end(), team_rows_.begin() + at);
    std::copy(state.role.begin(), state.role.end(), role_rows_.begin() + at);
    std::copy(state.output.begin(), state.output.end(), output_rows_.begin() + at);
    std::copy(state.autonomy.begin(), state.autonomy.end(), autonomy_rows_.begin() + at);
    std::copy(state.pressure.begin(), state.pressure.end(), pressure_rows_.begin() + at);
    headcounts_[f] = state.headcount;
  }
  const hsize_t k = period.index;
  const std::vector<hsize_t> slot_start = {k, 0, 0};
  const std::vector<hsize_t> slot_count = {1, F, E};
  hdf5::write_slab(beliefs_, {k, 0, 0, 0}, {1, F, E, D}, belief_rows_.data());
  hdf5::write_slab(code_, {k, 0, 0}, {1, F, D}, code_rows_.data());
  hdf5::write_slab(reality_, {k, 0}, {1, D}, period.reality.data());
  hdf5::write_slab(performance_, slot_start, slot_count, performance_rows_.data());
  hdf5::write_slab(team_, slot_start, slot_count, team_rows_.data());
  hdf5::write_slab(role_, slot_start, slot_count, role_rows_.data());
  hdf5::write_slab(output_, slot_start, slot_count, output_rows_.data());
  hdf5::write_slab(autonomy_, slot_start, slot_count, autonomy_rows_.data());
  hdf5::write_slab(pressure_, slot_start, slot_count, pressure_rows_.data());
  hdf5::write_slab(headcount_, {k, 0}, {1, F}, headcounts_.data());
  std::size_t v = 0;
  for (std::size_t q = 0; q < model::kQuantityCount; ++q) {
    if (is_headcount(q)) continue;
    for (std::size_t f = 0; f < F; ++f) quantity_rows_[f] = period.observed[f].values[q];
    hdf5::write_slab(quantities_[v++], {k, 0}, {1, F}, quantity_rows_.data());
  }
  ++recorded_;
}

void TraceFile::publish(int periods_run) {
  if (recorded_ != shape_.periods) {
    throw std::logic_error("the trace '" + path_ + "' has " + std::to_string(recorded_) + " of " +
                           std::to_string(shape_.periods) + " periods; not publishing it");
  }
  hdf5::set_attribute(file_.get(), "periods_run", static_cast<std::int64_t>(periods_run));
  hdf5::check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flushing the trace '" + temporary_ + "'");
  close();
  io::publish(temporary_, path_);
  published_ = true;
}

}  // namespace orgsim::io
