#pragma once
// Shared helpers for the cleaning tests: a project with image/text items whose signals come
// from the real computeImageSignals, as the import stores them.
#include <opencv2/core.hpp>

#include <memory>
#include <string>

#include "labeling/import/image_signals.h"
#include "labeling/store/sqlite_project_store.h"
#include "support/test_support.h"

namespace lb::test {

// An opencv-doc sample photo as BGR; a test failure (and an empty Mat) when it cannot be read.
cv::Mat photo(const std::string& name);
// The project default of a cleaning check's threshold.
double defaultThreshold(const char* check);

class CleanProject {
 public:
  CleanProject() {
    auto s = labeling::createProject(m_dir.file("c.lbproj"));
    if (!s) throw std::runtime_error(s.error().message);
    m_store = std::move(*s);
    m_batch = *m_store->createBatch("b", "");
    m_lead = *m_store->addUser("lead", labeling::Role::Lead);
    m_annotator = *m_store->addUser("ann", labeling::Role::Annotator);
  }
  labeling::ProjectStore& store() { return *m_store; }
  std::string path() const { return m_dir.file("c.lbproj"); }
  const TempDir& dir() const { return m_dir; }
  labeling::UserId lead() const { return m_lead; }
  labeling::UserId annotator() const { return m_annotator; }

  // Inserts an image item whose file is `img` encoded as JPEG (or PNG when lossless).
  labeling::ItemId addImage(const cv::Mat& img, const std::string& name, bool lossless = false);
  labeling::ItemId addText(const std::string& text, const std::string& key);

 private:
  TempDir m_dir;
  std::unique_ptr<labeling::ProjectStore> m_store;
  labeling::BatchId m_batch = 0;
  labeling::UserId m_lead = 0, m_annotator = 0;
};

}  // namespace lb::test
