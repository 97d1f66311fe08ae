#pragma once
// What an orgsim result file holds, as a description: the root attributes, the groups, and
// in each group its dimension scales and its datasets with their type, dimensions, units,
// long_name and where their values come from run by run. ResultFile writes the file from
// it (a streaming writer, chunks of runs from the journal), and `orgsim replay` compares
// every per-run dataset of one run with its rerun through it. The layout is in
// ResultFile.h; the per-run summaries are model::summary_info()'s.

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "orgsim/engine/Study.h"
#include "orgsim/io/RunRecord.h"

namespace orgsim::io {

inline constexpr const char* kResultFormat = "orgsim-result";
inline constexpr std::int64_t kResultFormatVersion = 1;

struct Provenance {
  std::string command_line;
  int threads = 1;  ///< informational: results do not depend on it
  /// false: the trajectories are stored as they are, not deflated; several times faster
  /// to write and several times larger (--no-compression).
  bool compress_trajectories = true;
};

/// One scenario of a result: its name (for comparisons), file and study.
struct StudyInfo {
  std::string name;
  std::string scenario_file;
  const engine::Study* study = nullptr;
};

/// How a dataset stores its values.
enum class ValueType { float64, int64, uint64, int32, text };

/// Where a per-run dataset's values come from.
enum class Source {
  run,             ///< the run number (the group's run coordinate, a dimension scale)
  replication,     ///< replication number
  factor,          ///< varied key `index`'s value at the run's design point
  point,           ///< design point number
  seed,            ///< master seed
  failed,          ///< 1 if the run failed
  error,           ///< why it failed
  saltelli_block,  ///< the point's Saltelli block
  saltelli_row,    ///< the point's Saltelli row
  trajectory,      ///< quantity `index`, per period and firm
  summary,         ///< model::summary_info()[index], per firm
};

struct DatasetSchema {
  std::string name;
  ValueType type = ValueType::float64;
  Source source = Source::run;
  std::size_t index = 0;  ///< the factor, quantity or summary
  std::string units;
  std::string long_name;
};

/// A dimension scale that does not depend on the runs (scenario, firm, period).
struct ScaleSchema {
  std::string name;
  std::string units;
  std::string long_name;
};

struct GroupSchema {
  std::string name;
  std::string comment;   ///< its comment attribute; empty for none
  bool firms = false;    ///< has the firm and firm_name scales
  bool periods = false;  ///< has the period scale
  /// Per run ((scenario,) run): the run coordinate first, then the design's columns.
  std::vector<DatasetSchema> columns;
  /// Per run and firm ((scenario,) run, (period,) firm), with a coordinates attribute.
  std::vector<DatasetSchema> variables;
};

using AttributeValue = std::variant<std::string, std::int64_t, std::uint64_t>;

struct ResultSchema {
  std::vector<std::pair<std::string, AttributeValue>> attributes;  ///< the root's, in order
  std::vector<std::string> scenario_names;                         ///< more than one: a comparison
  std::vector<std::string> firm_names;
  std::vector<std::int32_t> periods;
  std::size_t runs = 0;  ///< per scenario
  /// The coordinates attribute of every variable.
  std::string coordinates;
  ScaleSchema scenario, scenario_name, firm, firm_name, period;
  std::vector<GroupSchema> groups;  ///< trajectories, summaries, design

  bool comparison() const { return scenario_names.size() > 1; }
};

/// The schema of the result of `studies` (whose first study's design is every study's),
/// recording `periods`, with `failed_runs` failed runs. `created_utc` is the root attribute
/// of that name.
ResultSchema result_schema(const std::vector<StudyInfo>& studies,
                           const std::vector<std::string>& firm_names,
                           std::vector<std::int32_t> periods, std::size_t failed_runs,
                           const Provenance& provenance, const std::string& created_utc);

/// The fingerprint that the file (and its journal) holds of `studies`.
std::string fingerprint_of(const std::vector<StudyInfo>& studies);

/// One block of runs, begin to begin + count, of one study, holding what every per-run
/// dataset stores for them. Filled run by run from their records (read in place).
class RunBlock {
 public:
  /// Empties the block for runs begin..begin+count of `study`, NaN everywhere; the
  /// trajectories hold `capacity` runs (a whole chunk) of `periods` periods and `firms` firms.
  void start(const engine::Study& study, std::size_t begin, std::size_t count, std::size_t capacity,
             std::size_t periods, std::size_t firms);
  /// Run begin + k succeeded with `record` (its periods beyond the block's are dropped).
  void add(std::size_t k, const RunRecord& record);
  /// Run begin + k failed, with `error` ("not run" when it never ran).
  void fail(std::size_t k, std::string error);

  std::size_t begin() const { return begin_; }
  std::size_t count() const { return count_; }
  /// Quantity q's values: run k, period t, firm f at (k * periods + t) * firms + f.
  const std::vector<double>& trajectory(std::size_t q) const { return trajectories_[q]; }
  /// Summary v's values: run k, firm f at k * firms + f.
  const std::vector<double>& summary(std::size_t v) const { return summaries_[v]; }
  /// A per-run column's values (not a trajectory or a summary), one per run, in the type
  /// the dataset stores.
  using Column =
      std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::uint64_t>,
                   std::vector<std::int32_t>, std::vector<std::string>>;
  Column column(const DatasetSchema& dataset) const;

 private:
  const engine::Study* study_ = nullptr;
  std::size_t begin_ = 0, count_ = 0, periods_ = 0, firms_ = 0;
  std::vector<std::vector<double>> trajectories_;
  std::vector<std::vector<double>> summaries_;
  std::vector<std::int64_t> point_;
  std::vector<std::int32_t> failed_;
  std::vector<std::string> error_;
};

}  // namespace orgsim::io
