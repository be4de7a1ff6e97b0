#pragma once
// Internal to plugins/host: the loaded library and host-side copies of its capability structs.
#include "plugins/host/plugin_host.h"

namespace lb::plugins {

struct PluginHost::Loaded {
  PluginInfo info;
  void* handle = nullptr;
  struct Capability {
    lb_capability_kind kind = LB_CAPABILITY_EXPORTER;
    CapabilityInfo info;
    // Host-sized copy of the plugin's struct (see registerCapability).
    union Storage {
      lb_exporter_capability exporter;
      lb_check_capability check;
      lb_assist_capability assist;
      lb_importer_capability importer;
    } storage;
  };
  std::vector<Capability> capabilities;
};

// True when `value` is acceptable text for a setting of `type`.
bool validSetting(lb_setting_type type, const std::string& value);

}  // namespace lb::plugins
