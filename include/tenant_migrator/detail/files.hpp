// The little file access the migration readers need: list a folder, read a
// file, create one that must not exist. On POSIX calls rather than
// <filesystem> and file streams, which would add about 0.6 s to the parse of
// every program that includes the umbrella header (docs/benchmarks.md).
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace tenant_migrator::detail {

enum class file_kind { missing, directory, regular, other };

// What `path` is, following symbolic links (a link to a folder is a folder).
inline file_kind kind_of(const std::string& path) noexcept {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return file_kind::missing;
  if (S_ISDIR(st.st_mode)) return file_kind::directory;
  if (S_ISREG(st.st_mode)) return file_kind::regular;
  return file_kind::other;
}

inline bool is_directory(const std::string& path) noexcept { return kind_of(path) == file_kind::directory; }

// "dir" + "name" -> "dir/name"; "dir/" + "name" -> "dir/name".
inline std::string join_path(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

// The last component of `path`, trailing slashes ignored: "db/migrations/" -> "migrations".
inline std::string last_component(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// `path` made absolute with links resolved, or `path` itself when that fails.
inline std::string canonical_or_same(const std::string& path) {
  char* full = ::realpath(path.c_str(), nullptr);
  if (full == nullptr) return path;
  std::string out(full);
  std::free(full);
  return out;
}

struct dir_entry {
  std::string name;
  file_kind kind = file_kind::missing;  // as kind_of says
};

// The entries of `dir` ("." and ".." left out), sorted by name. Returns false
// and the reason in `error` ("Permission denied") when it cannot be read.
inline bool list_directory(const std::string& dir, std::vector<dir_entry>& out, std::string& error) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    error = std::generic_category().message(errno);
    return false;
  }
  out.clear();
  int read_error = 0;
  for (;;) {
    errno = 0;  // readdir's end and its failure differ only in errno (which kind_of's stat may set)
    const dirent* e = ::readdir(d);
    if (e == nullptr) {
      read_error = errno;
      break;
    }
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    out.push_back({std::string(name), kind_of(join_path(dir, name))});
  }
  ::closedir(d);
  if (read_error != 0) {
    error = std::generic_category().message(read_error);
    return false;
  }
  std::sort(out.begin(), out.end(), [](const dir_entry& a, const dir_entry& b) { return a.name < b.name; });
  return true;
}

// The whole of the file at `path` into `out`; false when it cannot be read.
inline bool read_file(const std::string& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string content;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) content.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return false;
    }
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  out = std::move(content);
  return true;
}

enum class create_result { created, exists, failed };

// Creates `path` with `content`, never replacing a file already there. A
// file it could not write whole is removed again.
inline create_result create_new_file(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return errno == EEXIST ? create_result::exists : create_result::failed;
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false;
    else done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) ok = false;
  if (ok) return create_result::created;
  ::unlink(path.c_str());
  return create_result::failed;
}

}  // namespace tenant_migrator::detail
