#pragma once
// An array of `count` values, uninitialized, on transparent huge pages where the kernel allows:
// FastRP reads rows of its matrices at random, and 4 KiB pages would cost a TLB miss for most of
// them.
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace dlctl::graph {

template <typename T>
class HugePageArray {
 public:
  explicit HugePageArray(size_t count) {
    constexpr size_t kHugePage = 2u << 20;
    size_t bytes = std::max<size_t>((count * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage, kHugePage);
    data_ = static_cast<T*>(std::aligned_alloc(kHugePage, bytes));
    if (!data_) throw std::bad_alloc();
    madvise(data_, bytes, MADV_HUGEPAGE);  // advice only: failure just means small pages
  }
  ~HugePageArray() { std::free(data_); }
  HugePageArray(const HugePageArray&) = delete;
  HugePageArray& operator=(const HugePageArray&) = delete;
  T* data() { return data_; }
  const T* data() const { return data_; }

 private:
  T* data_ = nullptr;
};

}  // namespace dlctl::graph
