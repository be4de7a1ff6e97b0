#pragma once
// Inputs for the import tests: real sample images re-encoded in every format, archives written
// with libarchive (including hostile entries), a JPEG with an EXIF orientation tag, and headers
// that lie about their size.
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>
#include <vector>

namespace lb::test {

std::vector<unsigned char> readBytes(const std::filesystem::path& p);
void writeBytes(const std::filesystem::path& p, const std::vector<unsigned char>& bytes);

// A real photo (opencv-doc sample) resized to widthPx x heightPx, written with cv::imwrite in the
// format given by the extension.
void writeSamplePhoto(const std::filesystem::path& p, int widthPx, int heightPx, int variant = 0);

// A 300x200 JPEG, left half red and right half blue, with an EXIF APP1 Orientation = 6
// ("rotate 90° clockwise to display").
std::vector<unsigned char> jpegWithOrientation6();

// A PNG whose IHDR claims widthPx x heightPx (followed by a little junk, no real data).
std::vector<unsigned char> pngHeaderClaiming(std::uint32_t widthPx, std::uint32_t heightPx);
// A JPEG whose frame header claims the size (max 65535 per side).
std::vector<unsigned char> jpegHeaderClaiming(std::uint16_t widthPx, std::uint16_t heightPx);

struct ArchiveEntry {
  std::string name;
  std::vector<unsigned char> data;  // regular file content
  std::string symlinkTo;            // non-empty: a symbolic link entry
  std::string hardlinkTo;           // non-empty: a hard link entry
};
enum class ArchiveKind { Zip, Tar, TarGz };
void writeArchive(const std::filesystem::path& p, ArchiveKind kind, const std::vector<ArchiveEntry>& entries);

// Single-value query on a project file (read-only connection).
std::int64_t queryInt(const std::string& projectPath, const std::string& sql);
std::string queryText(const std::string& projectPath, const std::string& sql);

}  // namespace lb::test
