#include "orgsim/model/EmployeeTable.h"

#include <algorithm>
#include <cassert>

namespace orgsim::model {

EmployeeTable::EmployeeTable(int words, int rows) : words_(words), rows_(rows) {
  const auto count = static_cast<std::size_t>(rows);
  each_column([count](auto& column, int width) {
    column.assign(count * static_cast<std::size_t>(width), {});
  });
}

int EmployeeTable::append() {
  each_column([](auto& column, int width) {
    column.resize(column.size() + static_cast<std::size_t>(width), {});
  });
  return rows_++;
}

void EmployeeTable::move_row(int from, int to) {
  assert(from >= 0 && from < rows_ && to >= 0 && to < rows_);
  if (from == to) return;
  each_column([from, to](auto& column, int width) {
    const auto w = static_cast<std::size_t>(width);
    std::copy_n(column.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(from) * w),
                width,
                column.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(to) * w));
  });
}

void EmployeeTable::pop_back() {
  assert(rows_ > 0);
  each_column([](auto& column, int width) {
    column.resize(column.size() - static_cast<std::size_t>(width));
  });
  --rows_;
}

}  // namespace orgsim::model
