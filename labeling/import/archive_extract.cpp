// Safe unpacking of zip/tar archives for import (see image_sources.h for the rules).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <cstring>
#include <unistd.h>

#include "labeling/import/image_sources.h"

namespace lb::labeling {

namespace fs = std::filesystem;

namespace {

// Why an entry name may not be used as a path below the target, or "" when it may.
std::string unsafeReason(const std::string& name) {
  if (name.empty()) return "empty entry name";
  if (name[0] == '/' || name[0] == '\\') return "absolute path";
  if (name.size() >= 2 && name[1] == ':') return "absolute (drive) path";
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find_first_of("/\\", start);
    if (end == std::string::npos) end = name.size();
    if (name.compare(start, end - start, "..") == 0) return "path contains '..'";
    start = end + 1;
  }
  return {};
}

bool isInside(const fs::path& p, const fs::path& root) {
  const auto rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// Writes the current entry's data to `target`, refusing to follow a link already there.
bool writeEntry(archive* a, const fs::path& target, std::string& why) {
  const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    why = "cannot write " + target.string();
    return false;
  }
  const void* buf = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  bool ok = true;
  for (;;) {
    const int r = archive_read_data_block(a, &buf, &size, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      why = std::string("damaged entry data (") + (archive_error_string(a) ? archive_error_string(a) : "?") + ")";
      ok = false;
      break;
    }
    if (::lseek(fd, offset, SEEK_SET) < 0 || ::write(fd, buf, size) != static_cast<ssize_t>(size)) {
      why = "cannot write " + target.string() + " (disk full?)";
      ok = false;
      break;
    }
  }
  ::close(fd);
  if (!ok) ::unlink(target.c_str());
  return ok;
}

}  // namespace

void extractArchive(const fs::path& archivePath, const SourceContext& ctx, ImportPlan& plan,
                    std::vector<fs::path>& videosOut) {
  const std::string shown = archivePath.string();
  std::string stem = archivePath.filename().string();
  for (const char* ext : {".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz2", ".txz", ".zip", ".tar"})
    if (stem.size() > std::strlen(ext) && stem.compare(stem.size() - std::strlen(ext), std::strlen(ext), ext) == 0) {
      stem.resize(stem.size() - std::strlen(ext));
      break;
    }
  std::error_code ec;
  fs::create_directories(ctx.extractRoot / stem, ec);
  const fs::path target = fs::weakly_canonical(ctx.extractRoot / stem, ec);
  if (ec) {
    plan.rejected.push_back({shown, shown + ": cannot create the folder to unpack into (" + ec.message() + ")"});
    return;
  }

  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  archive_read_support_filter_all(a);
  if (archive_read_open_filename(a, archivePath.c_str(), 1 << 16) != ARCHIVE_OK) {
    plan.rejected.push_back({shown, shown + ": cannot be opened as a zip or tar archive (" +
                                        (archive_error_string(a) ? archive_error_string(a) : "unknown error") + ")"});
    archive_read_free(a);
    return;
  }
  archive_entry* entry = nullptr;
  for (;;) {
    if (ctx.cancel && ctx.cancel->load()) break;
    const int r = archive_read_next_header(a, &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      plan.rejected.push_back({shown, shown + ": damaged archive (" +
                                          (archive_error_string(a) ? archive_error_string(a) : "?") +
                                          "); the entries before the damage were imported"});
      break;
    }
    const char* raw = archive_entry_pathname_utf8(entry);
    if (!raw) raw = archive_entry_pathname(entry);
    const std::string name = raw ? raw : "";
    const std::string shownEntry = shown + ":" + name;
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) continue;
    const fs::path asPath(name);
    const bool media = isImageFileName(asPath) || isVideoFileName(asPath);
    if (archive_entry_hardlink(entry) || type == AE_IFLNK) {
      if (media) plan.rejected.push_back({shownEntry, shownEntry + ": link entry; links in archives are not followed"});
      continue;
    }
    if (type != AE_IFREG || !media) continue;  // other files (readme, labels) are not images
    if (const auto why = unsafeReason(name); !why.empty()) {
      plan.rejected.push_back({shownEntry, shownEntry + ": " + why + " would place the file outside the unpack folder; skipped"});
      continue;
    }
    fs::path dest = (target / asPath).lexically_normal();
    fs::create_directories(dest.parent_path(), ec);
    // The parent as it really is on disk (a folder there could be a link from an earlier run).
    const fs::path realParent = fs::weakly_canonical(dest.parent_path(), ec);
    if (ec || !isInside(realParent / dest.filename(), target)) {
      plan.rejected.push_back({shownEntry, shownEntry + ": would be written outside " + target.string() + "; skipped"});
      continue;
    }
    dest = realParent / dest.filename();
    if (isVideoFileName(dest)) {
      std::string why;
      if (writeEntry(a, dest, why)) videosOut.push_back(dest);
      else plan.rejected.push_back({shownEntry, shownEntry + ": " + why});
      continue;
    }
    ImportCandidate c;
    c.path = dest.string();
    c.displayName = shownEntry;
    c.mediaPath = relativeMediaPath(dest, ctx.mediaRoot);
    c.sourceKey = c.mediaPath;
    if (ctx.known && ctx.known(c.sourceKey)) {
      ++plan.alreadyInProject;  // unpacked before: leave the file as the project knows it
      continue;
    }
    std::string why;
    if (!writeEntry(a, dest, why)) {
      plan.rejected.push_back({shownEntry, shownEntry + ": " + why});
      continue;
    }
    plan.candidates.push_back(std::move(c));
  }
  archive_read_free(a);
}

}  // namespace lb::labeling
