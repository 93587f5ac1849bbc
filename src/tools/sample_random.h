#pragma once
// A small, fast, seedable PRNG for generated data: xoshiro256** seeded through splitmix64.
// Integer-only, so the same seed gives the same numbers on every machine.
#include <cstdint>

namespace dlctl {

// splitmix64's output function: a bijection on 64 bits (distinct inputs, distinct outputs).
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class SampleRandom {
 public:
  // `stream` separates independent sequences drawn from one seed (one per generated file).
  SampleRandom(uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (auto& word : s_) word = SplitMix64(x++);
  }

  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the tiny bias does not matter here).
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64); }

  // Skewed toward 0: the smaller of two uniform draws, twice (popular items come first).
  uint64_t Skewed(uint64_t n) {
    uint64_t a = Below(n), b = Below(n), c = Below(n);
    uint64_t low = a < b ? a : b;
    return low < c ? low : c;
  }

  // 0 with probability 1/2, 1 with 1/4, ...: the trailing zero bits of a draw (capped at 40).
  int Geometric() { return __builtin_ctzll(Next() | (1ULL << 40)); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace dlctl
