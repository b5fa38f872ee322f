// A status line at the bottom of a terminal with text scrolling above it, as
// cargo draws its progress bar. status_line draws and erases the line (on
// standard error); scrolling_text_buf is the streambuf of the text above
// (standard output, when it shows on the same terminal): the first write
// after the line was drawn erases it, so text and line never mix, and the
// ProgressReporter draws it again once the text ends a line.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>

#include <sys/ioctl.h>
#include <unistd.h>

namespace tenant_migrator {

// The width of the terminal on `fd`; 0 when unknown (not a terminal).
inline std::size_t terminal_columns(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

class status_line {
 public:
  static constexpr std::string_view erase_sequence = "\r\x1b[2K";  // to column 0, erase the line

  // `enabled`: `out` shows on a terminal; false draws nothing. `columns`: the
  // terminal's width (0: unknown); a longer line is cut so that it never wraps
  // (a wrapped line could not be erased in place).
  explicit status_line(std::ostream& out, bool enabled = true, std::size_t columns = 0)
      : out_(&out), enabled_(enabled), columns_(columns) {}

  bool enabled() const noexcept { return enabled_; }
  bool drawn() const noexcept { return drawn_; }
  // Whether the text above ended its last line: the line can only be drawn then.
  bool text_at_line_start() const noexcept { return text_at_line_start_; }

  void draw(std::string_view text) {
    if (!enabled_ || !text_at_line_start_) return;
    if (text_ != nullptr) text_->pubsync();  // the text above goes out before the line
    *out_ << erase_sequence << fit(text) << std::flush;
    drawn_ = true;
  }
  void erase() {
    if (!drawn_) return;
    *out_ << erase_sequence << std::flush;
    drawn_ = false;
  }
  // The run is over: the line stays as drawn, the terminal gets its next line.
  void finish() {
    if (!drawn_) return;
    *out_ << '\n' << std::flush;
    drawn_ = false;
  }

  // For scrolling_text_buf: text is about to be written / was written.
  void before_text() { erase(); }
  void after_text(char last) { text_at_line_start_ = last == '\n'; }
  void set_text(std::streambuf* text) { text_ = text; }

 private:
  // Cut to columns - 1 (the last column would wrap on some terminals), never
  // inside a UTF-8 sequence.
  std::string fit(std::string_view text) const {
    if (columns_ < 2 || text.size() < columns_) return std::string(text);
    std::size_t n = columns_ - 1;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return std::string(text.substr(0, n));
  }

  std::ostream* out_;
  bool enabled_;
  std::size_t columns_;
  bool drawn_ = false;
  bool text_at_line_start_ = true;
  std::streambuf* text_ = nullptr;
};

// The streambuf of text that shows on the same terminal as a status_line:
// writes go to `target` unchanged, after erasing the line.
class scrolling_text_buf : public std::streambuf {
 public:
  scrolling_text_buf(std::streambuf* target, std::shared_ptr<status_line> line)
      : target_(target), line_(std::move(line)) {
    line_->set_text(target_);
  }
  ~scrolling_text_buf() override { line_->set_text(nullptr); }
  scrolling_text_buf(const scrolling_text_buf&) = delete;
  scrolling_text_buf& operator=(const scrolling_text_buf&) = delete;

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n <= 0) return 0;
    line_->before_text();
    std::streamsize written = target_->sputn(s, n);
    line_->after_text(s[n - 1]);
    return written;
  }
  int sync() override { return target_->pubsync(); }

 private:
  std::streambuf* target_;
  std::shared_ptr<status_line> line_;
};

}  // namespace tenant_migrator
