// Sub-commands for measuring work: report (throughput CSV/HTML) and pay (piece-rate earnings).
// Both recompute everything from the project's event log (qc/throughput).
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli_support.h"
#include "qc/review/gold.h"
#include "qc/throughput/pay.h"
#include "qc/throughput/project_figures.h"
#include "qc/throughput/report.h"

namespace lb::app {
namespace {

using namespace lb::labeling;
using namespace lb::qc;

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    fail(makeError(ErrorCode::Io, "cannot write " + path + "; check that the folder exists and is writable"));
    return false;
  }
  return true;
}

// One accuracy per annotator from the project's gold items (qc/review), weighting each kind of
// answer by how many reference answers of that kind there are: object F1, exact span F1, tag F1
// and exact rating agreement.
std::map<UserId, double> goldFromProject(const ProjectStore& store) {
  std::map<UserId, double> out;
  User viewer;  // the report is a lead's view; gold answers never leave this process
  viewer.role = Role::Lead;
  auto scores = lb::qc::goldAccuracy(store, viewer);
  if (!scores) return out;
  for (const auto& g : *scores) {
    const double weight = g.objectsReference + g.spansReference + g.tagsReference + g.ratingPairs;
    if (weight <= 0) continue;
    out[g.annotator] = (g.objectF1 * g.objectsReference + g.spanExactF1 * g.spansReference +
                        g.tagF1 * g.tagsReference + g.ratingExact * g.ratingPairs) / weight;
  }
  return out;
}

// Gold accuracy per user: from a JSON file {"user name": 0.95, ...} when given, else from the
// project's own gold items.
std::optional<std::map<UserId, double>> readGold(const ProjectStore& store, const std::string& path) {
  std::map<UserId, double> out;
  if (path.empty()) return goldFromProject(store);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::exception&) {
  }
  if (!j.is_object()) {
    fail(makeError(ErrorCode::BadInput, path + " must be a JSON object {\"user name\": accuracy 0..1}"));
    return std::nullopt;
  }
  for (const auto& [name, value] : j.items()) {
    auto u = store.userByName(name);
    if (!u) {
      fail(makeError(ErrorCode::NotFound, path + " names user '" + name + "', who is not in the project"));
      return std::nullopt;
    }
    if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1) {
      fail(makeError(ErrorCode::BadInput, path + ": the accuracy of '" + name + "' must be a number from 0 to 1"));
      return std::nullopt;
    }
    out[u->id] = value.get<double>();
  }
  return out;
}

std::optional<ThroughputData> figuresOrFail(const ProjectStore& store, const std::string& goldPath) {
  auto gold = readGold(store, goldPath);
  if (!gold) return std::nullopt;
  auto settings = loadThroughputSettings(store, *gold);
  if (!settings) {
    fail(settings.error());
    return std::nullopt;
  }
  auto data = computeProjectFigures(store, *settings);
  if (!data) {
    fail(data.error());
    return std::nullopt;
  }
  return std::move(*data);
}

std::string nowText() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return buf;
}

void addReport(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", "Throughput report (CSV or self-contained HTML) from the event log");
  auto path = std::make_shared<std::string>();
  auto by = std::make_shared<std::string>("annotator");
  auto format = std::make_shared<std::string>("csv");
  auto out = std::make_shared<std::string>();
  auto day = std::make_shared<std::string>();
  auto batch = std::make_shared<std::string>();
  auto gold = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("--by", *by, "Rows per annotator, team, batch, day or hour")
      ->check(CLI::IsMember({"annotator", "team", "batch", "day", "hour"}));
  cmd->add_option("--format", *format, "csv or html")->check(CLI::IsMember({"csv", "html"}));
  cmd->add_option("--out", *out, "File to write")->required();
  cmd->add_option("--day", *day, "Only this local day, YYYY-MM-DD (project setting utc_offset_minutes)");
  cmd->add_option("--batch", *batch, "Only this batch (id or name)");
  cmd->add_option("--gold", *gold, "JSON {\"user name\": gold accuracy 0..1}")->check(CLI::ExistingFile);
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    FigureFilter filter;
    if (!day->empty()) {
      filter.day = parseDay(*day);
      if (!filter.day) return fail(makeError(ErrorCode::InvalidArgument, "--day " + *day + " is not a date; write it as YYYY-MM-DD"));
    }
    if (!batch->empty()) {
      for (const auto& b : store->batches())
        if (b.name == *batch || std::to_string(b.id) == *batch) filter.batch = b.id;
      if (!filter.batch)
        return fail(makeError(ErrorCode::NotFound, "project " + *path + " has no batch '" + *batch +
                                                       "'; `labelbench-cli status` lists what is there"));
    }
    auto data = figuresOrFail(*store, *gold);
    if (!data) return;
    const GroupBy groupBy = groupByFrom(*by).value();
    std::string text;
    std::size_t rows = 0;
    if (*format == "csv") {
      const auto r = figuresBy(*data, groupBy, filter);
      rows = r.size();
      text = figuresCsv(r, groupBy);
    } else {
      HtmlReportOptions opt;
      opt.projectName = store->info().name;
      opt.by = groupBy;
      opt.filter = filter;
      opt.generatedAt = nowText();
      rows = figuresBy(*data, groupBy, filter).size();
      text = htmlReport(*data, opt);
    }
    if (!writeFile(*out, text)) return;
    std::cout << "wrote " << *out << " (" << rows << " rows by " << *by << ", from " << data->eventsSeen
              << " events)\n";
  });
}

void addPay(CLI::App& app) {
  auto* cmd = app.add_subcommand("pay", "Piece-rate earnings per annotator and day or week");
  auto path = std::make_shared<std::string>();
  auto period = std::make_shared<std::string>("day");
  auto csv = std::make_shared<std::string>();
  auto ratesFile = std::make_shared<std::string>();
  auto gold = std::make_shared<std::string>();
  cmd->add_option("project", *path, "Project file")->required();
  cmd->add_option("--period", *period, "day or week (weeks start on Monday)")->check(CLI::IsMember({"day", "week"}));
  cmd->add_option("--csv", *csv, "CSV file to write (default: print to the terminal)");
  cmd->add_option("--rates", *ratesFile, "Store these piece rates (JSON) in the project first")
      ->check(CLI::ExistingFile);
  cmd->add_option("--gold", *gold, "JSON {\"user name\": gold accuracy 0..1}")->check(CLI::ExistingFile);
  cmd->callback([=] {
    auto store = openOrFail(*path);
    if (!store) return;
    if (!ratesFile->empty()) {
      std::ifstream in(*ratesFile);
      std::stringstream ss;
      ss << in.rdbuf();
      auto rates = payRatesFromJson(ss.str(), *ratesFile);
      if (!rates) return fail(rates.error());
      if (auto st = store->setSetting("pay_rates", payRatesToJson(*rates)); !st) return fail(st.error());
    }
    auto rates = loadPayRates(*store);
    if (!rates) return fail(rates.error());
    auto data = figuresOrFail(*store, *gold);
    if (!data) return;
    const auto earnings = computeEarnings(*data, *rates, payPeriodFrom(*period).value());
    const std::string text = earningsCsv(earnings, *rates);
    if (csv->empty()) {
      std::cout << text;
      return;
    }
    if (!writeFile(*csv, text)) return;
    double total = 0;
    for (const auto& e : earnings) total += e.net;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", total);
    std::cout << "wrote " << *csv << " (" << earnings.size() << " rows per annotator and " << *period
              << ", total " << buf << (rates->currency.empty() ? "" : " " + rates->currency) << ")\n";
  });
}

const CommandRegistrar registrar(70, [](CLI::App& app) {
  addReport(app);
  addPay(app);
});

}  // namespace
}  // namespace lb::app
