#include "orgsim/io/Hdf5.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <limits>
#include <type_traits>

#include "orgsim/core/Error.h"

namespace orgsim::io::hdf5 {
namespace {

template <class T>
hid_t memory_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
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

// Chunks of about 256 KiB: whole innermost dimensions, as many as fit, then a slice of the
// next one out, and single entries of the outer ones.
Handle chunked_compressed(const std::vector<hsize_t>& shape, std::size_t element_size) {
  Handle properties(H5Pcreate(H5P_DATASET_CREATE));
  std::vector<hsize_t> chunk(shape.size(), 1);
  hsize_t budget = std::max<hsize_t>((256 * 1024) / element_size, 1);
  for (std::size_t d = shape.size(); d-- > 0;) {
    const hsize_t extent = std::max<hsize_t>(shape[d], 1);
    chunk[d] = std::clamp<hsize_t>(budget, 1, extent);
    budget = std::max<hsize_t>(budget / chunk[d], 1);
    if (chunk[d] < extent) break;
  }
  check(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), "chunking");
  check(H5Pset_shuffle(properties.get()), "shuffle filter");
  // Level 1: most of level 4's gain on these (shuffled) doubles at a fraction of its time.
  check(H5Pset_deflate(properties.get(), 1), "deflate filter");
  return properties;
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

void check(herr_t status, const std::string& what) {
  if (status < 0) throw IoError("HDF5 failed at " + what);
}

Handle checked(hid_t id, const std::string& what) {
  if (id < 0) throw IoError("HDF5 failed at " + what);
  return Handle(id);
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
                       const std::vector<const Handle*>& scales) {
  Handle space = checked(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                         "dataspace of " + name);
  Handle properties = chunked_compressed(shape, sizeof(T));
  if constexpr (std::is_same_v<T, double>) {
    const double fill = std::numeric_limits<double>::quiet_NaN();
    check(H5Pset_fill_value(properties.get(), H5T_NATIVE_DOUBLE, &fill), "fill value of " + name);
  }
  Handle dataset = checked(H5Dcreate2(group, name.c_str(), memory_type<T>(), space.get(),
                                      H5P_DEFAULT, properties.get(), H5P_DEFAULT),
                           "creating " + name);
  attach(dataset, scales, name);
  return dataset;
}

template <class T>
void write_slab(const Handle& dataset, const std::vector<hsize_t>& start,
                const std::vector<hsize_t>& count, const T* data) {
  Handle file_space = checked(H5Dget_space(dataset.get()), "dataspace");
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                            nullptr),
        "selecting a block");
  Handle memory_space = checked(
      H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "memory dataspace");
  check(H5Dwrite(dataset.get(), memory_type<T>(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                 data),
        "writing a block");
}

template <class T>
Handle write_variable(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                      const std::vector<const Handle*>& scales, const T* data) {
  Handle dataset = create_variable<T>(group, name, shape, scales);
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
                                        const std::vector<const Handle*>&);
template void write_slab(const Handle&, const std::vector<hsize_t>&, const std::vector<hsize_t>&,
                         const double*);
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
  Handle space = checked(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                         "dataspace of " + name);
  Handle type = string_type();
  Handle dataset = checked(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                      H5P_DEFAULT, H5P_DEFAULT),
                           "creating " + name);
  std::vector<const char*> pointers;
  for (const auto& value : values) pointers.push_back(value.c_str());
  if (!pointers.empty()) {
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "writing " + name);
  }
  attach(dataset, scales, name);
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
