// TextTable: aligned columns for the diagnostics' text output. Cells are
// already escaped text; widths count UTF-8 characters, not bytes. Internal to
// src/diagnose.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fdtrace {

inline std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
    return width;
}

class TextTable {
  public:
    explicit TextTable(std::vector<std::string> header)
        : header_(std::move(header)),
          max_width_(header_.size(), std::string::npos),
          right_(header_.size(), false) {}

    // Cells wider than `width` overflow (pushing the rest of their row right)
    // instead of widening the whole column.
    void set_max_width(std::size_t column, std::size_t width) { max_width_.at(column) = width; }
    void set_right_aligned(std::size_t column) { right_.at(column) = true; }
    void add_row(std::vector<std::string> cells) {
        cells.resize(header_.size());
        rows_.push_back(std::move(cells));
    }
    bool empty() const noexcept { return rows_.empty(); }

    void render(std::string& out) const {
        std::vector<std::size_t> widths(header_.size(), 0);
        auto measure = [&](const std::vector<std::string>& row) {
            for (std::size_t i = 0; i < row.size(); ++i)
                widths[i] = std::max(widths[i], std::min(display_width(row[i]), max_width_[i]));
        };
        measure(header_);
        for (const auto& row : rows_) measure(row);
        render_row(out, header_, widths);
        for (const auto& row : rows_) render_row(out, row, widths);
    }

  private:
    void render_row(std::string& out, const std::vector<std::string>& row,
                    const std::vector<std::size_t>& widths) const {
        std::size_t last = row.size();
        while (last > 0 && row[last - 1].empty()) --last;
        std::size_t line_start = out.size();
        for (std::size_t i = 0; i < last; ++i) {
            if (i) out += "  ";
            std::size_t width = display_width(row[i]);
            std::size_t pad = width < widths[i] ? widths[i] - width : 0;
            if (right_[i]) out.append(pad, ' ');
            out += row[i];
            if (!right_[i] && i + 1 < last) out.append(pad, ' ');
        }
        while (out.size() > line_start && out.back() == ' ') out.pop_back();
        out += '\n';
    }

    std::vector<std::string> header_;
    std::vector<std::size_t> max_width_;
    std::vector<bool> right_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace fdtrace
