/* Test-only plugin built for a newer minor API than the host's. */
#include "labelbench_plugin.h"

LB_PLUGIN_EXPORT uint32_t lb_plugin_api_version(void) {
  return LB_PLUGIN_MAKE_VERSION(LB_PLUGIN_API_VERSION_MAJOR, LB_PLUGIN_API_VERSION_MINOR + 1, 0);
}

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  (void)host;
  out->id = "bad_minor";
  out->name = "must never be called";
  out->version = "1.0.0";
  return LB_ERROR;
}
