#include "orgsim/io/Hdf5.h"

#include <hdf5_hl.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "orgsim/core/Error.h"

namespace orgsim::io::hdf5 {
namespace {

template <class T>
hid_t memory_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, std::int8_t>) return H5T_NATIVE_INT8;
  if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_NATIVE_UINT8;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
}

Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1));
  check(H5Tset_size(type.get(), H5T_VARIABLE), "string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type");
  return type;
}

// Level 1: most of level 4's gain on these (shuffled) doubles at a fraction of its time.
constexpr int kDeflateLevel = 1;

Handle chunked_compressed(const std::vector<hsize_t>& chunk, bool compressed) {
  Handle properties(H5Pcreate(H5P_DATASET_CREATE));
  check(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), "chunking");
  if (compressed) {
    check(H5Pset_shuffle(properties.get()), "shuffle filter");
    check(H5Pset_deflate(properties.get(), kDeflateLevel), "deflate filter");
  }
  return properties;
}

// Room for one chunk in the dataset's chunk cache: datasets are written in order, chunk
// after chunk, so more would only grow memory (HDF5's default is 1 MiB per dataset).
Handle one_chunk_cache(const std::vector<hsize_t>& chunk, std::size_t element_size) {
  Handle access(H5Pcreate(H5P_DATASET_ACCESS));
  std::size_t bytes = element_size;
  for (hsize_t extent : chunk) bytes *= extent;
  check(H5Pset_chunk_cache(access.get(), 521, bytes, 1.0), "chunk cache");
  return access;
}

void attach(const Handle& dataset, const std::vector<const Handle*>& scales,
            const std::string& name) {
  for (std::size_t d = 0; d < scales.size(); ++d) {
    check(H5DSattach_scale(dataset.get(), scales[d]->get(), static_cast<unsigned>(d)),
          "attaching dimension " + std::to_string(d) + " of " + name);
  }
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    other.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE:
      H5Fclose(id_);
      break;
    case H5I_GROUP:
      H5Gclose(id_);
      break;
    case H5I_DATASET:
      H5Dclose(id_);
      break;
    case H5I_DATASPACE:
      H5Sclose(id_);
      break;
    case H5I_DATATYPE:
      H5Tclose(id_);
      break;
    case H5I_ATTR:
      H5Aclose(id_);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id_);
      break;
    default:
      break;
  }
  id_ = H5I_INVALID_HID;
}

void silence_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

void leave_files_to_the_program() {
  H5dont_atexit();
}

namespace {

// HDF5's own messages are silenced; the system's reason, when it is the storage's, is what
// the user can act on.
std::string failure(const std::string& what) {
  const int error = errno;
  std::string text = "HDF5 failed at " + what;
  if (error == ENOSPC || error == EFBIG || error == EDQUOT || error == EIO || error == EROFS) {
    text += " (" + std::string(std::strerror(error)) +
            "; check the free space and any file size limit)";
  }
  return text;
}

}  // namespace

void check(herr_t status, const std::string& what) {
  if (status < 0) throw IoError(failure(what));
}

Handle checked(hid_t id, const std::string& what) {
  if (id < 0) throw IoError(failure(what));
  return Handle(id);
}

std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape, std::size_t element_size,
                                 std::size_t bytes) {
  std::vector<hsize_t> chunk(shape.size(), 1);
  hsize_t budget = std::max<hsize_t>(bytes / element_size, 1);
  for (std::size_t d = shape.size(); d-- > 0;) {
    const hsize_t extent = std::max<hsize_t>(shape[d], 1);
    chunk[d] = std::clamp<hsize_t>(budget, 1, extent);
    budget = std::max<hsize_t>(budget / chunk[d], 1);
    if (chunk[d] < extent) break;
  }
  return chunk;
}

void compress_chunk(const unsigned char* data, std::size_t bytes, std::size_t element_size,
                    std::vector<unsigned char>& shuffled, std::vector<unsigned char>& compressed) {
  // HDF5's shuffle filter: byte b of element i goes to b * elements + i (a remainder of
  // fewer bytes than an element stays at the end); then its deflate filter, compress2().
  const std::size_t elements = bytes / element_size;
  shuffled.resize(bytes);
  for (std::size_t b = 0; b < element_size; ++b) {
    unsigned char* out = shuffled.data() + b * elements;
    for (std::size_t i = 0; i < elements; ++i) out[i] = data[i * element_size + b];
  }
  const std::size_t tail = elements * element_size;
  if (tail < bytes) std::memcpy(shuffled.data() + tail, data + tail, bytes - tail);
  // Deflate's run-length strategy: after the shuffle, constant quantities, the NaN after a
  // run's end and the sign and exponent bytes of slowly varying ones are runs of one byte,
  // and searching for longer-distance matches in the mantissas' noise finds little. On a
  // March sweep it compresses a quarter faster than compress2() at level 1 and 10%
  // smaller. Any deflate stream is what HDF5's deflate filter reads, whatever the strategy.
  z_stream stream{};
  if (deflateInit2(&stream, kDeflateLevel, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK) {
    throw IoError("compressing a chunk failed");
  }
  compressed.resize(deflateBound(&stream, static_cast<uLong>(bytes)));
  stream.next_in = shuffled.data();
  stream.avail_in = static_cast<uInt>(bytes);
  stream.next_out = compressed.data();
  stream.avail_out = static_cast<uInt>(compressed.size());
  const int status = deflate(&stream, Z_FINISH);
  const std::size_t size = stream.total_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw IoError("compressing a chunk failed");
  compressed.resize(size);
}

void write_chunk(const Handle& dataset, const std::vector<hsize_t>& offset,
                 const std::vector<unsigned char>& compressed) {
  check(H5Dwrite_chunk(dataset.get(), H5P_DEFAULT, 0, offset.data(), compressed.size(),
                       compressed.data()),
        "writing a chunk");
}

void write_raw_chunk(const Handle& dataset, const std::vector<hsize_t>& offset, const void* bytes,
                     std::size_t size) {
  check(H5Dwrite_chunk(dataset.get(), H5P_DEFAULT, 0, offset.data(), size, bytes),
        "writing a chunk");
}

Handle create_group(hid_t parent, const std::string& name) {
  return checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 "creating group " + name);
}

template <class T>
Handle write_coordinate(hid_t group, const std::string& name, const std::vector<T>& values) {
  const hsize_t size = values.size();
  Handle space = checked(H5Screate_simple(1, &size, nullptr), "dataspace of " + name);
  Handle dataset = checked(H5Dcreate2(group, name.c_str(), memory_type<T>(), space.get(),
                                      H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                           "creating " + name);
  if (!values.empty()) {
    check(H5Dwrite(dataset.get(), memory_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          "writing " + name);
  }
  check(H5DSset_scale(dataset.get(), name.c_str()), "making " + name + " a dimension scale");
  return dataset;
}

template <class T>
Handle create_variable(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                       const std::vector<const Handle*>& scales,
                       const std::vector<hsize_t>& chunk_dims, bool compressed) {
  Handle space = checked(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                         "dataspace of " + name);
  const std::vector<hsize_t> chunk =
      chunk_dims.empty() ? chunk_shape(shape, sizeof(T)) : chunk_dims;
  Handle properties = chunked_compressed(chunk, compressed);
  if constexpr (std::is_same_v<T, double>) {
    const double fill = std::numeric_limits<double>::quiet_NaN();
    check(H5Pset_fill_value(properties.get(), H5T_NATIVE_DOUBLE, &fill), "fill value of " + name);
  }
  Handle access = one_chunk_cache(chunk, sizeof(T));
  Handle dataset = checked(H5Dcreate2(group, name.c_str(), memory_type<T>(), space.get(),
                                      H5P_DEFAULT, properties.get(), access.get()),
                           "creating " + name);
  attach(dataset, scales, name);
  return dataset;
}

template <class T>
Handle create_coordinate(hid_t group, const std::string& name, std::size_t size) {
  const hsize_t extent = size;
  Handle space = checked(H5Screate_simple(1, &extent, nullptr), "dataspace of " + name);
  Handle dataset = checked(H5Dcreate2(group, name.c_str(), memory_type<T>(), space.get(),
                                      H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                           "creating " + name);
  check(H5DSset_scale(dataset.get(), name.c_str()), "making " + name + " a dimension scale");
  return dataset;
}

Handle create_strings(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                      const std::vector<const Handle*>& scales) {
  Handle space = checked(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                         "dataspace of " + name);
  Handle type = string_type();
  Handle dataset = checked(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                      H5P_DEFAULT, H5P_DEFAULT),
                           "creating " + name);
  attach(dataset, scales, name);
  return dataset;
}

namespace {

// The dataset's space with the block [start, start + count) selected, and a memory space
// of the block's shape.
struct BlockSpaces {
  Handle file;
  Handle memory;
};

BlockSpaces select_block(const Handle& dataset, const std::vector<hsize_t>& start,
                         const std::vector<hsize_t>& count) {
  Handle file_space = checked(H5Dget_space(dataset.get()), "dataspace");
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                            nullptr),
        "selecting a block");
  Handle memory_space = checked(
      H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "memory dataspace");
  return {std::move(file_space), std::move(memory_space)};
}

}  // namespace

void write_strings_slab(const Handle& dataset, const std::vector<hsize_t>& start,
                        const std::vector<hsize_t>& count, const std::vector<std::string>& values) {
  // An empty string as a null pointer: HDF5 then stores no global-heap object for it, where
  // "" costs one, kept in memory while the file is open (4 MB in a 100,000-run sweep whose
  // error column is empty). Readers see an empty string either way.
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& value : values) pointers.push_back(value.empty() ? nullptr : value.c_str());
  if (pointers.empty()) return;
  Handle type = string_type();
  const BlockSpaces spaces = select_block(dataset, start, count);
  check(H5Dwrite(dataset.get(), type.get(), spaces.memory.get(), spaces.file.get(), H5P_DEFAULT,
                 pointers.data()),
        "writing strings");
}

template <class T>
void write_slab(const Handle& dataset, const std::vector<hsize_t>& start,
                const std::vector<hsize_t>& count, const T* data) {
  const BlockSpaces spaces = select_block(dataset, start, count);
  check(H5Dwrite(dataset.get(), memory_type<T>(), spaces.memory.get(), spaces.file.get(),
                 H5P_DEFAULT, data),
        "writing a block");
}

template <class T>
Handle write_variable(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                      const std::vector<const Handle*>& scales, const T* data) {
  Handle dataset = create_variable<T>(group, name, shape, scales, {}, true);
  std::size_t total = 1;
  for (hsize_t extent : shape) total *= extent;
  if (total > 0) {
    check(H5Dwrite(dataset.get(), memory_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          "writing " + name);
  }
  return dataset;
}

template Handle write_coordinate(hid_t, const std::string&, const std::vector<std::int32_t>&);
template Handle write_coordinate(hid_t, const std::string&, const std::vector<std::int64_t>&);
template Handle write_variable(hid_t, const std::string&, const std::vector<hsize_t>&,
                               const std::vector<const Handle*>&, const double*);
template Handle write_variable(hid_t, const std::string&, const std::vector<hsize_t>&,
                               const std::vector<const Handle*>&, const std::int32_t*);
template Handle create_variable<double>(hid_t, const std::string&, const std::vector<hsize_t>&,
                                        const std::vector<const Handle*>&,
                                        const std::vector<hsize_t>&, bool);
template void write_slab(const Handle&, const std::vector<hsize_t>&, const std::vector<hsize_t>&,
                         const double*);
template void write_slab(const Handle&, const std::vector<hsize_t>&, const std::vector<hsize_t>&,
                         const std::int32_t*);
template void write_slab(const Handle&, const std::vector<hsize_t>&, const std::vector<hsize_t>&,
                         const std::int64_t*);
template void write_slab(const Handle&, const std::vector<hsize_t>&, const std::vector<hsize_t>&,
                         const std::uint64_t*);
template Handle create_variable<std::int32_t>(hid_t, const std::string&,
                                              const std::vector<hsize_t>&,
                                              const std::vector<const Handle*>&,
                                              const std::vector<hsize_t>&, bool);
template Handle create_variable<std::int64_t>(hid_t, const std::string&,
                                              const std::vector<hsize_t>&,
                                              const std::vector<const Handle*>&,
                                              const std::vector<hsize_t>&, bool);
template Handle create_variable<std::uint64_t>(hid_t, const std::string&,
                                               const std::vector<hsize_t>&,
                                               const std::vector<const Handle*>&,
                                               const std::vector<hsize_t>&, bool);
template Handle create_coordinate<std::int64_t>(hid_t, const std::string&, std::size_t);
template Handle create_variable<std::int8_t>(hid_t, const std::string&, const std::vector<hsize_t>&,
                                             const std::vector<const Handle*>&,
                                             const std::vector<hsize_t>&, bool);
template Handle create_variable<std::uint8_t>(hid_t, const std::string&,
                                              const std::vector<hsize_t>&,
                                              const std::vector<const Handle*>&,
                                              const std::vector<hsize_t>&, bool);
template void write_slab(const Handle&, const std::vector<hsize_t>&, const std::vector<hsize_t>&,
                         const std::int8_t*);
template void write_slab(const Handle&, const std::vector<hsize_t>&, const std::vector<hsize_t>&,
                         const std::uint8_t*);
template Handle write_variable(hid_t, const std::string&, const std::vector<hsize_t>&,
                               const std::vector<const Handle*>&, const std::int64_t*);
template Handle write_variable(hid_t, const std::string&, const std::vector<hsize_t>&,
                               const std::vector<const Handle*>&, const std::uint64_t*);

Handle write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values,
                     const Handle& scale) {
  return write_strings(group, name, {values.size()}, {&scale}, values);
}

Handle write_strings(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                     const std::vector<const Handle*>& scales,
                     const std::vector<std::string>& values) {
  Handle dataset = create_strings(group, name, shape, scales);
  write_strings_slab(dataset, std::vector<hsize_t>(shape.size(), 0), shape, values);
  return dataset;
}

Handle write_string_coordinate(hid_t group, const std::string& name,
                               const std::vector<std::string>& values) {
  Handle dataset = write_strings(group, name, {values.size()}, {}, values);
  check(H5DSset_scale(dataset.get(), name.c_str()), "making " + name + " a dimension scale");
  return dataset;
}

void set_attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = string_type();
  Handle space = checked(H5Screate(H5S_SCALAR), "attribute space");
  Handle attribute =
      checked(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              "creating attribute " + name);
  const char* text = value.c_str();
  check(H5Awrite(attribute.get(), type.get(), &text), "writing attribute " + name);
}

template <class T>
void set_numeric_attribute(hid_t object, const std::string& name, T value) {
  Handle space = checked(H5Screate(H5S_SCALAR), "attribute space");
  Handle attribute = checked(
      H5Acreate2(object, name.c_str(), memory_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      "creating attribute " + name);
  check(H5Awrite(attribute.get(), memory_type<T>(), &value), "writing attribute " + name);
}

void set_attribute(hid_t object, const std::string& name, std::int64_t value) {
  set_numeric_attribute(object, name, value);
}

void set_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  set_numeric_attribute(object, name, value);
}

bool has_attribute(hid_t object, const std::string& name) {
  return H5Aexists(object, name.c_str()) > 0;
}

std::string string_attribute(hid_t object, const std::string& name) {
  Handle attribute =
      checked(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute " + name);
  Handle file_type = checked(H5Aget_type(attribute.get()), "type of attribute " + name);
  if (H5Tget_class(file_type.get()) != H5T_STRING) {
    throw IoError("attribute " + name + " is not a string");
  }
  if (H5Tis_variable_str(file_type.get()) > 0) {
    Handle type = string_type();
    char* text = nullptr;
    check(H5Aread(attribute.get(), type.get(), &text), "reading attribute " + name);
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  }
  std::string value(H5Tget_size(file_type.get()), '\0');
  check(H5Aread(attribute.get(), file_type.get(), value.data()), "reading attribute " + name);
  return value.substr(0, value.find('\0'));
}

std::int64_t integer_attribute(hid_t object, const std::string& name) {
  Handle attribute =
      checked(H5Aopen(object, name.c_str(), H5P_DEFAULT), "opening attribute " + name);
  std::int64_t value = 0;
  check(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), "reading attribute " + name);
  return value;
}

}  // namespace orgsim::io::hdf5
