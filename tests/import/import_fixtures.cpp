#include "import/import_fixtures.h"

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "support/test_support.h"

namespace lb::test {

namespace fs = std::filesystem;

std::vector<unsigned char> readBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const fs::path& p, const std::vector<unsigned char>& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void writeSamplePhoto(const fs::path& p, int w, int h, int variant) {
  static const char* samples[] = {"baboon.jpg", "fruits.jpg", "messi5.jpg", "building.jpg", "home.jpg"};
  cv::Mat src = cv::imread(opencvSample(samples[variant % 5]), cv::IMREAD_COLOR);
  if (src.empty()) throw std::runtime_error("missing opencv-doc sample");
  cv::Mat out;
  cv::resize(src, out, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  // Make each variant's pixels distinct, so no two test files are byte-identical.
  cv::putText(out, std::to_string(variant), {10, h / 2}, cv::FONT_HERSHEY_SIMPLEX, 1.0, {255, 255, 255}, 2);
  fs::create_directories(p.parent_path());
  if (!cv::imwrite(p.string(), out)) throw std::runtime_error("cannot write " + p.string());
}

std::vector<unsigned char> jpegWithOrientation6() {
  cv::Mat img(200, 300, CV_8UC3);
  img.colRange(0, 150).setTo(cv::Scalar(0, 0, 255));   // red (BGR)
  img.colRange(150, 300).setTo(cv::Scalar(255, 0, 0)); // blue
  std::vector<unsigned char> jpeg;
  cv::imencode(".jpg", img, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95});
  // APP1: "Exif\0\0" + little-endian TIFF header + IFD0 with one entry (0x0112 SHORT = 6).
  const std::vector<unsigned char> app1 = {
      0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,  // marker, length 34, identifier
      'I', 'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,      // TIFF header, IFD0 at 8
      0x01, 0x00,                                        // 1 entry
      0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00};                           // no next IFD
  jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
  return jpeg;
}

std::vector<unsigned char> pngHeaderClaiming(std::uint32_t w, std::uint32_t h) {
  std::vector<unsigned char> b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  for (std::uint32_t v : {w, h})
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(v >> s));
  for (unsigned char c : {8, 2, 0, 0, 0}) b.push_back(c);  // 8-bit RGB
  for (int i = 0; i < 64; ++i) b.push_back(static_cast<unsigned char>(i * 7));
  return b;
}

std::vector<unsigned char> jpegHeaderClaiming(std::uint16_t w, std::uint16_t h) {
  std::vector<unsigned char> b = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08,
                                  static_cast<unsigned char>(h >> 8), static_cast<unsigned char>(h & 0xFF),
                                  static_cast<unsigned char>(w >> 8), static_cast<unsigned char>(w & 0xFF), 3,
                                  1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};
  for (int i = 0; i < 64; ++i) b.push_back(static_cast<unsigned char>(i));
  b.push_back(0xFF);
  b.push_back(0xD9);
  return b;
}

void writeArchive(const fs::path& p, ArchiveKind kind, const std::vector<ArchiveEntry>& entries) {
  archive* a = archive_write_new();
  if (kind == ArchiveKind::Zip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    if (kind == ArchiveKind::TarGz) archive_write_add_filter_gzip(a);
  }
  if (archive_write_open_filename(a, p.c_str()) != ARCHIVE_OK) throw std::runtime_error("cannot write archive");
  for (const auto& e : entries) {
    archive_entry* en = archive_entry_new();
    archive_entry_set_pathname(en, e.name.c_str());
    archive_entry_set_perm(en, 0644);
    if (!e.symlinkTo.empty()) {
      archive_entry_set_filetype(en, AE_IFLNK);
      archive_entry_set_symlink(en, e.symlinkTo.c_str());
      archive_entry_set_size(en, 0);
    } else if (!e.hardlinkTo.empty()) {
      archive_entry_set_filetype(en, AE_IFREG);
      archive_entry_set_hardlink(en, e.hardlinkTo.c_str());
      archive_entry_set_size(en, 0);
    } else {
      archive_entry_set_filetype(en, AE_IFREG);
      archive_entry_set_size(en, static_cast<la_int64_t>(e.data.size()));
    }
    archive_write_header(a, en);
    if (!e.data.empty() && e.symlinkTo.empty() && e.hardlinkTo.empty()) archive_write_data(a, e.data.data(), e.data.size());
    archive_entry_free(en);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::int64_t queryInt(const std::string& projectPath, const std::string& sql) {
  SQLite::Database db(projectPath, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

std::string queryText(const std::string& projectPath, const std::string& sql) {
  SQLite::Database db(projectPath, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getString();
}

}  // namespace lb::test
