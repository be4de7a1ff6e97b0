#include "panel.h"

#include <map>

namespace lb::app {

namespace {
std::multimap<int, PanelFactory>& registry() {
  static std::multimap<int, PanelFactory> r;  // function-local: safe from static-init order
  return r;
}
}  // namespace

Panel::~Panel() = default;

PanelRegistrar::PanelRegistrar(int order, PanelFactory factory) { registry().emplace(order, std::move(factory)); }

std::vector<std::unique_ptr<Panel>> createRegisteredPanels() {
  std::vector<std::unique_ptr<Panel>> out;
  for (auto& [order, make] : registry()) out.push_back(make());
  return out;
}

}  // namespace lb::app
