#include "clean_fixture.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

#include "qc/clean/checks.h"
#include <stdexcept>

namespace lb::test {

cv::Mat photo(const std::string& name) {
  cv::Mat m = cv::imread(opencvSample(name), cv::IMREAD_COLOR);
  EXPECT_FALSE(m.empty()) << name;
  return m;
}

double defaultThreshold(const char* check) { return qc::clean::findCheck(check)->defaultThreshold; }

namespace {
std::string hexSha(const std::vector<unsigned char>& bytes) {
  unsigned char d[32];
  SHA256(bytes.data(), bytes.size(), d);
  std::string out;
  char buf[3];
  for (unsigned char c : d) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}
}  // namespace

labeling::ItemId CleanProject::addImage(const cv::Mat& img, const std::string& name, bool lossless) {
  std::vector<unsigned char> bytes;
  cv::imencode(lossless ? ".png" : ".jpg", img, bytes, {cv::IMWRITE_JPEG_QUALITY, 92});
  // Decode as the import does: the file's pixels, not the in-memory ones.
  const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
  labeling::NewItem n;
  n.item.batchId = m_batch;
  n.item.kind = labeling::ItemKind::Image;
  n.item.mediaPath = name;
  n.item.sourceKey = name;
  n.item.contentHash = hexSha(bytes);
  n.item.fileSizeBytes = static_cast<std::int64_t>(bytes.size());
  n.item.widthPx = img.cols;
  n.item.heightPx = img.rows;
  n.signals = labeling::computeImageSignals(decoded, img.cols, img.rows);
  auto id = m_store->insertItem(n);
  if (!id) throw std::runtime_error(id.error().message);
  return *id;
}

labeling::ItemId CleanProject::addText(const std::string& text, const std::string& key) {
  labeling::NewItem n;
  n.item.batchId = m_batch;
  n.item.kind = labeling::ItemKind::Text;
  n.item.sourceKey = key;
  n.item.contentHash = hexSha(std::vector<unsigned char>(text.begin(), text.end()));
  n.item.text = text;
  n.item.sourceEncoding = "UTF-8";
  auto id = m_store->insertItem(n);
  if (!id) throw std::runtime_error(id.error().message);
  return *id;
}

}  // namespace lb::test
