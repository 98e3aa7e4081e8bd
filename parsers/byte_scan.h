// Finding the next byte of a small set in a line: the inner loop of every
// parser here (a strace line is mostly string bytes nobody looks at).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fdtrace {

// A set of up to 8 bytes, with a 256-entry table for the tail and for
// machines without SSE2.
template <std::size_t N>
struct ByteSet {
    static_assert(N >= 1 && N <= 8);
    std::array<char, N> bytes{};
    std::array<bool, 256> table{};

    constexpr explicit ByteSet(const char (&text)[N + 1]) {
        for (std::size_t i = 0; i < N; ++i) {
            bytes[i] = text[i];
            table[static_cast<unsigned char>(text[i])] = true;
        }
    }
    constexpr bool contains(char c) const noexcept { return table[static_cast<unsigned char>(c)]; }
};

// Index of the first byte at or after `pos` that is in `set`, or text.size().
template <std::size_t N>
inline std::size_t find_byte_of(std::string_view text, std::size_t pos,
                                const ByteSet<N>& set) noexcept {
    const char* data = text.data();
    const std::size_t size = text.size();
#if defined(__SSE2__)
    // 16 bytes at a time: one compare per byte of the set, OR-ed together.
    while (pos + 16 <= size) {
        __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
        __m128i hits = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(set.bytes[0]));
        for (std::size_t i = 1; i < N; ++i)
            hits = _mm_or_si128(hits, _mm_cmpeq_epi8(chunk, _mm_set1_epi8(set.bytes[i])));
        if (int mask = _mm_movemask_epi8(hits))
            return pos + static_cast<std::size_t>(__builtin_ctz(mask));
        pos += 16;
    }
#endif
    while (pos < size && !set.contains(data[pos])) ++pos;
    return pos;
}

}  // namespace fdtrace
