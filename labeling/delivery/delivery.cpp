// [SECTION] Delivery packages and their verification (see delivery.h).
#include "labeling/delivery/delivery.h"

#include <archive.h>
#include <archive_entry.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "labeling/formats/format_util.h"
#include "labeling/store/sqlite_project_store.h"

namespace lb::labeling::delivery {

namespace fs = std::filesystem;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

std::string hex(const unsigned char* d, unsigned n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < n; ++i) s += digits[d[i] >> 4], s += digits[d[i] & 15];
  return s;
}

// Streams bytes into SHA-256.
class Sha256 {
 public:
  Sha256() : m_ctx(EVP_MD_CTX_new()) { EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(m_ctx); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* d, std::size_t n) { EVP_DigestUpdate(m_ctx, d, n); }
  std::string finish() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(m_ctx, md, &n);
    return hex(md, n);
  }

 private:
  EVP_MD_CTX* m_ctx;
};

std::vector<fs::path> allFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_regular_file()) out.push_back(fs::relative(it->path(), dir));
  std::sort(out.begin(), out.end());
  return out;
}

ojson statistics(const formats::ExportSource& src, std::atomic<bool>* cancel) {
  std::map<std::string, std::map<std::string, std::int64_t>> perClass;  // class -> kind -> n
  std::map<std::string, std::int64_t> perKind, byState, bySubset;
  std::int64_t nothingHere = 0, unlabelled = 0, annotations = 0;
  (void)src.forEach(
      [&](std::size_t index, const Item& item, const std::vector<Annotation>& anns) {
        ++byState[std::string(toString(item.state))];
        ++bySubset[src.subsetOf(index).empty() ? "all" : src.subsetOf(index)];
        if (anns.empty()) (item.nothingHere ? nothingHere : unlabelled)++;
        for (const auto& a : anns) {
          const std::string kind(toString(a.kind));
          ++perKind[kind];
          ++perClass[src.className(a).empty() ? "(no class)" : src.className(a)][kind];
          ++annotations;
        }
        return true;
      },
      cancel);
  ojson s;
  s["items"] = static_cast<std::int64_t>(src.items().size());
  s["items_by_state"] = byState;
  s["items_by_subset"] = bySubset;
  s["items_nothing_here"] = nothingHere;
  s["items_not_labelled"] = unlabelled;
  s["annotations"] = annotations;
  s["annotations_by_kind"] = perKind;
  s["annotations_by_class"] = perClass;
  return s;
}

bool hasTable(SQLite::Database& db, const std::string& name) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, name);
  return q.executeStep();
}

// Cleaning findings and review results for the delivered items, from the qc and review tables.
ojson qcSummary(const ProjectStore& store, const formats::ExportSource& src, std::vector<std::string>& notes) {
  ojson s = ojson::object();
  auto* sqlite = dynamic_cast<const SqliteProjectStore*>(&store);
  if (!sqlite) {
    notes.push_back("QC summary left out: the project store is not SQLite");
    return s;
  }
  auto& db = const_cast<SQLite::Database&>(sqlite->database());
  // A temporary table of the delivered item ids keeps the queries set-based.
  db.exec("CREATE TEMP TABLE IF NOT EXISTS delivery_items(id INTEGER PRIMARY KEY)");
  db.exec("DELETE FROM delivery_items");
  {
    SQLite::Transaction t(db);
    SQLite::Statement ins(db, "INSERT INTO delivery_items(id) VALUES (?)");
    for (const auto& it : src.items()) {
      ins.bind(1, it.id);
      ins.exec();
      ins.reset();
    }
    t.commit();
  }
  if (hasTable(db, "findings")) {
    ojson f = ojson::object();
    SQLite::Statement q(db, "SELECT check_name, decision, COUNT(*) FROM findings "
                            "WHERE item_id IN (SELECT id FROM delivery_items) GROUP BY check_name, decision ORDER BY check_name");
    std::int64_t total = 0;
    while (q.executeStep()) {
      const std::string decision = q.getColumn(1).getString();
      f[q.getColumn(0).getString()][decision.empty() ? "undecided" : decision] = q.getColumn(2).getInt64();
      total += q.getColumn(2).getInt64();
    }
    s["cleaning_findings"] = f;
    if (!total) notes.push_back("no cleaning findings stored for these items");
  } else {
    notes.push_back("no cleaning findings table in this project");
  }
  if (hasTable(db, "reviews")) {
    // The latest verdict per item counts; history is kept but superseded.
    SQLite::Statement q(db, "SELECT r.verdict, COUNT(*) FROM reviews r "
                            "WHERE r.item_id IN (SELECT id FROM delivery_items) AND r.id = "
                            "(SELECT r2.id FROM reviews r2 WHERE r2.item_id = r.item_id ORDER BY r2.created_ms DESC, r2.id DESC LIMIT 1) "
                            "GROUP BY r.verdict ORDER BY r.verdict");
    ojson v = ojson::object();
    std::int64_t reviewed = 0;
    while (q.executeStep()) {
      v[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
      reviewed += q.getColumn(1).getInt64();
    }
    SQLite::Statement reasons(db, "SELECT reason, COUNT(*) FROM reviews WHERE item_id IN (SELECT id FROM delivery_items) "
                                  "AND reason <> '' GROUP BY reason ORDER BY COUNT(*) DESC");
    ojson rs = ojson::object();
    while (reasons.executeStep()) rs[reasons.getColumn(0).getString()] = reasons.getColumn(1).getInt64();
    s["review"] = {{"items_reviewed", reviewed}, {"latest_verdicts", v}, {"reject_reasons", rs}};
    if (!reviewed) notes.push_back("no reviews stored for these items");
  }
  // Acceptance sampling: whatever table the review workflow keeps it in (name holds "sampl" or
  // "acceptance"); copied as rows so the client sees the lot decision as stored.
  SQLite::Statement t(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                          "(name LIKE '%sampl%' OR name LIKE '%acceptance%') ORDER BY name");
  bool any = false;
  while (t.executeStep()) {
    const std::string table = t.getColumn(0).getString();
    SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\" ORDER BY rowid DESC LIMIT 50");
    ojson list = ojson::array();
    while (rows.executeStep()) {
      ojson row;
      for (int c = 0; c < rows.getColumnCount(); ++c) {
        const auto col = rows.getColumn(c);
        if (col.isInteger()) row[rows.getColumnName(c)] = col.getInt64();
        else if (col.isFloat()) row[rows.getColumnName(c)] = col.getDouble();
        else if (col.isText()) row[rows.getColumnName(c)] = col.getString();
      }
      list.push_back(row);
    }
    s["acceptance_sampling"][table] = list;
    any = true;
  }
  if (!any) notes.push_back("no acceptance-sampling results stored in this project");
  db.exec("DROP TABLE IF EXISTS delivery_items");
  return s;
}

Status writeZip(const fs::path& folder, const fs::path& zip) {
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
  archive_write_set_format_zip(a.get());
  if (archive_write_open_filename(a.get(), zip.string().c_str()) != ARCHIVE_OK)
    return makeError(ErrorCode::Io, "cannot create " + zip.string() + ": " + archive_error_string(a.get()));
  std::vector<char> buf(1 << 16);
  for (const auto& rel : allFiles(folder)) {
    const fs::path full = folder / rel;
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(e.get(), rel.generic_string().c_str());
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(fs::file_size(full)));
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_mtime(e.get(), time(nullptr), 0);
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
      return makeError(ErrorCode::Io, "writing " + zip.string() + ": " + archive_error_string(a.get()));
    std::ifstream in(full, std::ios::binary);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      if (in.gcount() > 0 && archive_write_data(a.get(), buf.data(), static_cast<std::size_t>(in.gcount())) < 0)
        return makeError(ErrorCode::Io, "writing " + zip.string() + ": " + archive_error_string(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return makeError(ErrorCode::Io, "finishing " + zip.string() + ": " + archive_error_string(a.get()));
  return okStatus();
}

}  // namespace

Result<std::string> sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorCode::Io, "cannot read " + path);
  Sha256 h;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  return h.finish();
}

Result<DeliveryReport> buildDelivery(const ProjectStore& store, const DeliveryOptions& options) {
  DeliveryReport report;
  const fs::path out(options.out);
  const bool zip = out.extension() == ".zip";
  std::error_code ec;
  if (fs::exists(out, ec) && (zip || !fs::is_empty(out, ec)))
    return makeError(ErrorCode::InvalidArgument, out.string() + " already exists; deliver into a new folder or zip");
  const fs::path folder = zip ? fs::path(out.string() + ".partial") : out;
  fs::remove_all(folder, ec);
  fs::create_directories(folder, ec);
  if (ec) return makeError(ErrorCode::Io, "cannot create " + folder.string() + ": " + ec.message());

  auto src = formats::ExportSource::open(store, options.exportOptions.filter);
  if (!src) return src.error();
  auto exported = formats::exportDataset(options.format, *src, folder / "labels", options.exportOptions);
  if (!exported) return exported.error();
  report.exportReport = *exported;
  if (exported->cancelled) return makeError(ErrorCode::Cancelled, "delivery cancelled; " + folder.string() + " is incomplete");

  ojson stats = statistics(*src, options.exportOptions.cancel);
  ojson losses = ojson::object();
  for (const auto& [what, l] : exported->losses) losses[what] = {{"count", l.count}, {"examples", l.examples}};
  stats["not_held_by_the_format"] = losses;
  stats["left_out_not_labelled"] = exported->unlabelledLeftOut;
  if (auto w = formats::writeTextFile(folder / "statistics.json", stats.dump(2) + "\n"); !w) return w.error();
  ojson qc = qcSummary(store, *src, report.notes);
  qc["notes"] = report.notes;
  if (auto w = formats::writeTextFile(folder / "qc_summary.json", qc.dump(2) + "\n"); !w) return w.error();

  ojson manifest;
  const auto& f = options.exportOptions.filter;
  manifest["labelbench_delivery"] = 1;
  manifest["project"] = store.info().name;
  manifest["format"] = std::string(formats::toString(options.format));
  manifest["created_ms"] = nowMs();
  manifest["filter"] = {{"accepted_only", f.acceptedOnly},
                        {"batch", f.batchId ? ojson(*f.batchId) : ojson(nullptr)},
                        {"from_ms", f.fromMs ? ojson(*f.fromMs) : ojson(nullptr)},
                        {"to_ms", f.toMs ? ojson(*f.toMs) : ojson(nullptr)},
                        {"include_excluded", f.includeExcluded},
                        {"split", f.splitRatios},
                        {"seed", f.seed},
                        {"with_media", options.exportOptions.withMedia}};
  manifest["files"] = ojson::array();
  for (const auto& rel : allFiles(folder)) {
    auto sha = sha256File((folder / rel).string());
    if (!sha) return sha.error();
    manifest["files"].push_back({{"path", rel.generic_string()}, {"bytes", fs::file_size(folder / rel)}, {"sha256", *sha}});
    ++report.files;
  }
  if (auto w = formats::writeTextFile(folder / "manifest.json", manifest.dump(2) + "\n"); !w) return w.error();
  auto msha = sha256File((folder / "manifest.json").string());
  report.manifestSha256 = msha ? *msha : "";
  if (zip) {
    if (auto st = writeZip(folder, out); !st) return st.error();
    fs::remove_all(folder, ec);
  }
  return report;
}

// [SECTION] Verify

Result<VerifyReport> verifyDelivery(const std::string& path) {
  VerifyReport report;
  std::error_code ec;
  if (!fs::exists(path, ec)) return makeError(ErrorCode::NotFound, path + " does not exist");
  std::map<std::string, std::pair<std::int64_t, std::string>> actual;  // path -> (bytes, sha)
  std::string manifestText;
  bool haveManifest = false;
  if (fs::is_directory(path)) {
    for (const auto& rel : allFiles(path)) {
      const std::string r = rel.generic_string();
      if (r == "manifest.json") {
        auto t = formats::readTextFile(fs::path(path) / rel);
        if (!t) return t.error();
        manifestText = *t;
        haveManifest = true;
        continue;
      }
      auto sha = sha256File((fs::path(path) / rel).string());
      if (!sha) return sha.error();
      actual[r] = {static_cast<std::int64_t>(fs::file_size(fs::path(path) / rel)), *sha};
    }
  } else {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_format_all(a.get());
    archive_read_support_filter_all(a.get());
    if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
      return makeError(ErrorCode::BadInput, path + " is neither a delivery folder nor a readable archive");
    archive_entry* e = nullptr;
    std::vector<char> buf(1 << 16);
    while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
      if (archive_entry_filetype(e) != AE_IFREG) continue;
      const std::string r = archive_entry_pathname(e);
      Sha256 h;
      std::string text;
      std::int64_t bytes = 0;
      la_ssize_t n;
      while ((n = archive_read_data(a.get(), buf.data(), buf.size())) > 0) {
        h.update(buf.data(), static_cast<std::size_t>(n));
        bytes += n;
        if (r == "manifest.json") text.append(buf.data(), static_cast<std::size_t>(n));
      }
      if (n < 0) return makeError(ErrorCode::BadInput, path + ": entry " + r + " is damaged: " + archive_error_string(a.get()));
      if (r == "manifest.json") {
        manifestText = text;
        haveManifest = true;
      } else {
        actual[r] = {bytes, h.finish()};
      }
    }
  }
  if (!haveManifest) return makeError(ErrorCode::NotFound, path + " has no manifest.json; it is not a LabelBench delivery");
  json m = json::parse(manifestText, nullptr, false);
  if (m.is_discarded() || !m.contains("files") || !m["files"].is_array())
    return makeError(ErrorCode::BadInput, path + ": manifest.json is damaged (not JSON with a \"files\" list)");
  std::set<std::string> listed;
  for (const auto& f : m["files"]) {
    const std::string r = f.value("path", std::string());
    listed.insert(r);
    ++report.checked;
    auto it = actual.find(r);
    if (it == actual.end()) report.missing.push_back(r);
    else if (it->second.first != f.value("bytes", std::int64_t{-1}) || it->second.second != f.value("sha256", std::string()))
      report.altered.push_back(r);
  }
  for (const auto& [r, v] : actual)
    if (!listed.count(r)) report.extra.push_back(r);
  return report;
}

}  // namespace lb::labeling::delivery
