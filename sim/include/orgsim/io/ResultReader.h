#pragma once
// Opens an orgsim result file for reading and checks that it is one: HDF5, with the
// orgsim_format attribute, of a format version this build understands. Used by
// `orgsim info` and by the tests that compare results byte for byte.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "orgsim/io/Hdf5.h"

namespace orgsim::io {

struct DatasetInfo {
  std::string path;                     ///< e.g. "trajectories/innovation"
  std::vector<std::string> dimensions;  ///< dimension names, outermost first
  std::vector<std::uint64_t> shape;
  std::string type;  ///< "float64", "int64", "uint64", "int32" or "string"
  std::string units;
  std::string meaning;
};

class ResultReader {
 public:
  /// Throws IoError when the file is missing, not HDF5, not an orgsim result, or of a
  /// newer format version.
  explicit ResultReader(const std::string& path);

  std::int64_t format_version() const { return format_version_; }

  /// Root attributes (provenance) as text, in file order.
  std::vector<std::pair<std::string, std::string>> attributes() const;

  /// Every dataset of the trajectories, summaries and design groups.
  std::vector<DatasetInfo> datasets() const;

  /// The dataset's contents as bytes in its stored type (strings joined with NUL), for
  /// exact comparisons.
  std::vector<unsigned char> dataset_bytes(const std::string& path) const;

  /// FNV-1a 64 over every dataset's name and bytes: equal digests mean equal data.
  std::uint64_t content_digest() const;
  /// The same over the datasets whose paths (as datasets() names them) `include` accepts,
  /// in the same order: over all of them it is content_digest().
  std::uint64_t content_digest(const std::function<bool(const std::string&)>& include) const;

  bool has_dataset(const std::string& path) const;
  /// A root attribute as text; empty if there is none.
  std::string attribute(const std::string& name) const;
  /// The block of `count` values at `start` of a numeric dataset, as doubles.
  std::vector<double> read_doubles(const std::string& path, const std::vector<std::uint64_t>& start,
                                   const std::vector<std::uint64_t>& count) const;
  /// The same block as bytes in the dataset's stored type (strings joined with NUL, as
  /// dataset_bytes()), for exact comparisons.
  std::vector<unsigned char> read_bytes(const std::string& path,
                                        const std::vector<std::uint64_t>& start,
                                        const std::vector<std::uint64_t>& count) const;
  /// One value of a numeric dataset, as an unsigned 64-bit integer (seeds).
  std::uint64_t read_unsigned(const std::string& path, const std::vector<std::uint64_t>& at) const;
  /// One value of a string dataset.
  std::string read_string(const std::string& path, const std::vector<std::uint64_t>& at) const;
  /// The extents of a dataset.
  std::vector<std::uint64_t> shape(const std::string& path) const;

 private:
  /// The dataset at `path`, or an IoError naming it and the file.
  hdf5::Handle open_dataset(const std::string& path) const;

  std::string path_;
  hdf5::Handle file_;
  std::int64_t format_version_ = 0;
};

}  // namespace orgsim::io
