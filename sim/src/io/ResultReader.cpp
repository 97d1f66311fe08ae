#include "orgsim/io/ResultReader.h"

#include <hdf5_hl.h>

#include <cstring>
#include <filesystem>

#include "orgsim/core/Error.h"
#include "orgsim/io/ResultFile.h"

namespace orgsim::io {
namespace {

const std::vector<std::string> kGroups = {"trajectories", "summaries", "design"};

std::string type_name(hid_t type) {
  if (H5Tget_class(type) == H5T_STRING) return "string";
  if (H5Tget_class(type) == H5T_FLOAT) return "float" + std::to_string(8 * H5Tget_size(type));
  const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
  return std::string(is_signed ? "int" : "uint") + std::to_string(8 * H5Tget_size(type));
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* names) {
  static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}

}  // namespace

ResultReader::ResultReader(const std::string& path) : path_(path) {
  hdf5::silence_errors();
  if (!std::filesystem::is_regular_file(path)) {
    throw IoError("result file '" + path +
                  "' does not exist; give the --out path of an orgsim run");
  }
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw IoError("'" + path +
                  "' is not an HDF5 file (or is corrupted); give a file written by "
                  "orgsim run");
  }
  file_ = hdf5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file_.valid()) {
    throw IoError("'" + path +
                  "' cannot be opened as HDF5 (truncated or corrupted?); rerun the "
                  "command that made it");
  }
  if (!hdf5::has_attribute(file_.get(), "orgsim_format") ||
      hdf5::string_attribute(file_.get(), "orgsim_format") != kResultFormat) {
    throw IoError("'" + path + "' is an HDF5 file but not an orgsim result (no orgsim_format = " +
                  kResultFormat + " attribute); give a file written by orgsim run");
  }
  format_version_ = hdf5::integer_attribute(file_.get(), "orgsim_format_version");
  if (format_version_ > kResultFormatVersion) {
    throw IoError("'" + path + "' has result format version " + std::to_string(format_version_) +
                  ", newer than this orgsim understands (" + std::to_string(kResultFormatVersion) +
                  "); update orgsim");
  }
  for (const auto& group : kGroups) {
    if (H5Lexists(file_.get(), group.c_str(), H5P_DEFAULT) <= 0) {
      throw IoError("'" + path + "' lacks its /" + group +
                    " group (written by an interrupted or foreign program?); rerun the command "
                    "that made it");
    }
  }
}

std::vector<std::pair<std::string, std::string>> ResultReader::attributes() const {
  std::vector<std::string> names;
  hdf5::Handle root =
      hdf5::checked(H5Gopen2(file_.get(), "/", H5P_DEFAULT), "opening / in " + path_);
  H5Aiterate2(
      root.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
        static_cast<std::vector<std::string>*>(out)->push_back(name);
        return 0;
      },
      &names);
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto& name : names) {
    hdf5::Handle attribute(H5Aopen(root.get(), name.c_str(), H5P_DEFAULT));
    hdf5::Handle type(H5Aget_type(attribute.get()));
    if (H5Tget_class(type.get()) == H5T_STRING) {
      result.emplace_back(name, hdf5::string_attribute(root.get(), name));
    } else {
      result.emplace_back(name, std::to_string(hdf5::integer_attribute(root.get(), name)));
    }
  }
  return result;
}

std::vector<DatasetInfo> ResultReader::datasets() const {
  std::vector<DatasetInfo> result;
  for (const auto& group_name : kGroups) {
    hdf5::Handle group = hdf5::checked(H5Gopen2(file_.get(), group_name.c_str(), H5P_DEFAULT),
                                       "opening /" + group_name + " in " + path_);
    std::vector<std::string> names;
    H5Literate(group.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names);
    for (const auto& name : names) {
      hdf5::Handle dataset = hdf5::checked(H5Dopen2(group.get(), name.c_str(), H5P_DEFAULT),
                                           "opening " + group_name + "/" + name);
      DatasetInfo info;
      info.path = group_name + "/" + name;
      hdf5::Handle space(H5Dget_space(dataset.get()));
      const int rank = H5Sget_simple_extent_ndims(space.get());
      std::vector<hsize_t> shape(static_cast<std::size_t>(std::max(rank, 0)));
      H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
      for (int d = 0; d < rank; ++d) {
        info.shape.push_back(shape[static_cast<std::size_t>(d)]);
        std::string dimension = "?";
        if (H5DSis_scale(dataset.get()) > 0) {
          dimension = name;
        } else {
          H5DSiterate_scales(
              dataset.get(), static_cast<unsigned>(d), nullptr,
              [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
                char label[256];
                if (H5DSget_scale_name(scale, label, sizeof label) > 0) {
                  *static_cast<std::string*>(out) = label;
                }
                return 1;
              },
              &dimension);
        }
        info.dimensions.push_back(dimension);
      }
      hdf5::Handle type(H5Dget_type(dataset.get()));
      info.type = type_name(type.get());
      if (hdf5::has_attribute(dataset.get(), "units")) {
        info.units = hdf5::string_attribute(dataset.get(), "units");
      }
      if (hdf5::has_attribute(dataset.get(), "long_name")) {
        info.meaning = hdf5::string_attribute(dataset.get(), "long_name");
      }
      result.push_back(std::move(info));
    }
  }
  return result;
}

std::vector<unsigned char> ResultReader::dataset_bytes(const std::string& path) const {
  hdf5::Handle dataset = open_dataset(path);
  hdf5::Handle space(H5Dget_space(dataset.get()));
  const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  hdf5::Handle file_type(H5Dget_type(dataset.get()));
  std::vector<unsigned char> bytes;
  if (H5Tget_class(file_type.get()) == H5T_STRING) {
    std::vector<char*> strings(count, nullptr);
    hdf5::Handle type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    hdf5::check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.data()),
                "reading " + path);
    for (char* text : strings) {
      if (text != nullptr) bytes.insert(bytes.end(), text, text + std::strlen(text));
      bytes.push_back(0);
    }
    H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, strings.data());
    return bytes;
  }
  hdf5::Handle native(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND));
  bytes.resize(count * H5Tget_size(native.get()));
  if (count > 0) {
    hdf5::check(H5Dread(dataset.get(), native.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()),
                "reading " + path);
  }
  return bytes;
}

bool ResultReader::has_dataset(const std::string& path) const {
  const auto slash = path.find('/');
  if (slash != std::string::npos &&
      H5Lexists(file_.get(), path.substr(0, slash).c_str(), H5P_DEFAULT) <= 0) {
    return false;
  }
  return H5Lexists(file_.get(), path.c_str(), H5P_DEFAULT) > 0;
}

std::string ResultReader::attribute(const std::string& name) const {
  if (!hdf5::has_attribute(file_.get(), name)) return "";
  return hdf5::string_attribute(file_.get(), name);
}

std::vector<std::uint64_t> ResultReader::shape(const std::string& path) const {
  hdf5::Handle dataset = open_dataset(path);
  hdf5::Handle space(H5Dget_space(dataset.get()));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> extents(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.get(), extents.data(), nullptr);
  return {extents.begin(), extents.end()};
}

namespace {

// Selects the block (start, count) of `dataset` and reads it into `out` as `type`.
void read_block(const hdf5::Handle& dataset, const std::vector<std::uint64_t>& start,
                const std::vector<std::uint64_t>& count, hid_t type, void* out,
                const std::string& what) {
  hdf5::Handle file_space(H5Dget_space(dataset.get()));
  const std::vector<hsize_t> offset(start.begin(), start.end());
  const std::vector<hsize_t> extent(count.begin(), count.end());
  hdf5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offset.data(), nullptr,
                                  extent.data(), nullptr),
              "selecting a block of " + what);
  hdf5::Handle memory_space = hdf5::checked(
      H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr), "dataspace");
  hdf5::check(H5Dread(dataset.get(), type, memory_space.get(), file_space.get(), H5P_DEFAULT, out),
              "reading " + what);
}

std::size_t element_count(const std::vector<std::uint64_t>& count) {
  std::size_t total = 1;
  for (auto extent : count) total *= extent;
  return total;
}

}  // namespace

hdf5::Handle ResultReader::open_dataset(const std::string& path) const {
  return hdf5::checked(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT),
                       "opening " + path + " in " + path_);
}

std::vector<double> ResultReader::read_doubles(const std::string& path,
                                               const std::vector<std::uint64_t>& start,
                                               const std::vector<std::uint64_t>& count) const {
  hdf5::Handle dataset = open_dataset(path);
  const std::size_t total = element_count(count);
  std::vector<double> values(total);
  if (total > 0) read_block(dataset, start, count, H5T_NATIVE_DOUBLE, values.data(), path);
  return values;
}

std::vector<unsigned char> ResultReader::read_bytes(const std::string& path,
                                                    const std::vector<std::uint64_t>& start,
                                                    const std::vector<std::uint64_t>& count) const {
  hdf5::Handle dataset = open_dataset(path);
  const std::size_t total = element_count(count);
  std::vector<unsigned char> bytes;
  if (total == 0) return bytes;
  hdf5::Handle file_type(H5Dget_type(dataset.get()));
  if (H5Tget_class(file_type.get()) == H5T_STRING) {
    std::vector<char*> strings(total, nullptr);
    hdf5::Handle type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    read_block(dataset, start, count, type.get(), strings.data(), path);
    for (char* text : strings) {
      if (text != nullptr) bytes.insert(bytes.end(), text, text + std::strlen(text));
      bytes.push_back(0);
      H5free_memory(text);
    }
    return bytes;
  }
  hdf5::Handle native(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND));
  bytes.resize(total * H5Tget_size(native.get()));
  read_block(dataset, start, count, native.get(), bytes.data(), path);
  return bytes;
}

std::uint64_t ResultReader::read_unsigned(const std::string& path,
                                          const std::vector<std::uint64_t>& at) const {
  hdf5::Handle dataset = open_dataset(path);
  std::uint64_t value = 0;
  read_block(dataset, at, std::vector<std::uint64_t>(at.size(), 1), H5T_NATIVE_UINT64, &value,
             path);
  return value;
}

std::string ResultReader::read_string(const std::string& path,
                                      const std::vector<std::uint64_t>& at) const {
  hdf5::Handle dataset = open_dataset(path);
  hdf5::Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  char* text = nullptr;
  read_block(dataset, at, std::vector<std::uint64_t>(at.size(), 1), type.get(), &text, path);
  std::string value = text != nullptr ? text : "";
  H5free_memory(text);
  return value;
}

std::uint64_t ResultReader::content_digest() const {
  return content_digest([](const std::string&) { return true; });
}

std::uint64_t ResultReader::content_digest(
    const std::function<bool(const std::string&)>& include) const {
  std::uint64_t hash = 14695981039346656037ull;
  auto mix = [&hash](const unsigned char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      hash ^= data[i];
      hash *= 1099511628211ull;
    }
  };
  for (const auto& info : datasets()) {
    if (!include(info.path)) continue;
    mix(reinterpret_cast<const unsigned char*>(info.path.data()), info.path.size() + 1);
    const auto bytes = dataset_bytes(info.path);
    mix(bytes.data(), bytes.size());
  }
  return hash;
}

}  // namespace orgsim::io
