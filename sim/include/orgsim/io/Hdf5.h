#pragma once
// A thin RAII layer over the HDF5 C API: handles that close themselves and the few
// helpers the result files need (labelled datasets with dimension scales, string and
// numeric attributes). Every failure becomes an IoError naming the file and the object.

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace orgsim::io::hdf5 {

/// Owns one HDF5 identifier and closes it with the matching H5*close.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& other) noexcept;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
};

/// Stops HDF5 from printing its error stack; orgsim reports errors itself.
void silence_errors();

/// Tells HDF5 not to close its files at exit. Call before any other HDF5 function. A file
/// whose last write failed (a full disk) stays in HDF5's table however it is closed, and
/// HDF5 1.10's own close of it at exit crashes; orgsim closes every file it opens itself.
void leave_files_to_the_program();

/// Throws IoError("<what>") when `status` is negative.
void check(herr_t status, const std::string& what);
Handle checked(hid_t id, const std::string& what);

Handle create_group(hid_t parent, const std::string& name);

/// A one-dimensional coordinate variable that is also the dimension scale `name`.
template <class T>
Handle write_coordinate(hid_t group, const std::string& name, const std::vector<T>& values);

/// A dataset of `shape`, chunked along the first dimension and compressed, whose
/// dimensions are attached to `scales` (one per dimension, in order).
template <class T>
Handle write_variable(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                      const std::vector<const Handle*>& scales, const T* data);

/// A one-dimensional variable-length UTF-8 string dataset attached to `scale`.
Handle write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values,
                     const Handle& scale);

/// A one-dimensional variable-length UTF-8 string dataset that is also the dimension scale
/// `name`: labels (xarray reads them as the dimension's coordinate).
Handle write_string_coordinate(hid_t group, const std::string& name,
                               const std::vector<std::string>& values);

/// A variable-length UTF-8 string dataset of `shape` (row-major `values`).
Handle write_strings(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                     const std::vector<const Handle*>& scales,
                     const std::vector<std::string>& values);

/// An empty chunked, compressed dataset of `shape` whose unwritten parts read as NaN (for
/// doubles) or 0, attached to `scales` (double, int8, uint8, int32, int64, uint64); fill it with
/// write_slab() or write_chunk(). Its chunks are `chunk`, or chunk_shape()'s when that is empty;
/// shuffled and deflated unless `compressed` is false.
template <class T>
Handle create_variable(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                       const std::vector<const Handle*>& scales,
                       const std::vector<hsize_t>& chunk = {}, bool compressed = true);

/// A one-dimensional coordinate variable of `size` entries that is also the dimension scale
/// `name`, to be filled with write_slab().
template <class T>
Handle create_coordinate(hid_t group, const std::string& name, std::size_t size);

/// An empty variable-length UTF-8 string dataset of `shape`, filled with write_strings_slab().
Handle create_strings(hid_t group, const std::string& name, const std::vector<hsize_t>& shape,
                      const std::vector<const Handle*>& scales);

/// Writes the block of `count` strings starting at `start` (row-major `values`).
void write_strings_slab(const Handle& dataset, const std::vector<hsize_t>& start,
                        const std::vector<hsize_t>& count, const std::vector<std::string>& values);

/// The chunk shape create_variable gives a dataset of `shape`: about `bytes` (256 KiB by
/// default), whole innermost dimensions as far as they fit.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape, std::size_t element_size,
                                 std::size_t bytes = 256 * 1024);

/// One chunk's bytes as the filters of create_variable's datasets read them (shuffled, then
/// deflated), computed outside HDF5 so that several threads can compress at once.
/// `compressed` receives it; `scratch` is working memory. Both are reused from call to call
/// (a fresh 256 KiB buffer each time cost a page fault per 4 KiB).
void compress_chunk(const unsigned char* data, std::size_t bytes, std::size_t element_size,
                    std::vector<unsigned char>& scratch, std::vector<unsigned char>& compressed);

/// Stores a chunk made by compress_chunk() at `offset` (a multiple of the chunk shape).
void write_chunk(const Handle& dataset, const std::vector<hsize_t>& offset,
                 const std::vector<unsigned char>& compressed);
/// Stores a chunk's `bytes` as they are, in a dataset created with `compressed` false.
void write_raw_chunk(const Handle& dataset, const std::vector<hsize_t>& offset, const void* bytes,
                     std::size_t size);

/// Writes the block of `count` entries starting at `start` from row-major `data`.
template <class T>
void write_slab(const Handle& dataset, const std::vector<hsize_t>& start,
                const std::vector<hsize_t>& count, const T* data);

void set_attribute(hid_t object, const std::string& name, const std::string& value);
void set_attribute(hid_t object, const std::string& name, std::int64_t value);
void set_attribute(hid_t object, const std::string& name, std::uint64_t value);

bool has_attribute(hid_t object, const std::string& name);
std::string string_attribute(hid_t object, const std::string& name);
std::int64_t integer_attribute(hid_t object, const std::string& name);

}  // namespace orgsim::io::hdf5
