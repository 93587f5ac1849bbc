#include "util/progress.h"

#include <gtest/gtest.h>

namespace dlctl {
namespace {

TEST(HumanBytes, UsesBinaryUnits) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(1023), "1023 B");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(1ull << 30), "1.0 GiB");
}

}  // namespace
}  // namespace dlctl
