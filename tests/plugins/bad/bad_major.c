/* Test-only plugin built for a future major API: the host must refuse it before calling entry. */
#include <string.h>

#include "labelbench_plugin.h"

LB_PLUGIN_EXPORT uint32_t lb_plugin_api_version(void) {
  return LB_PLUGIN_MAKE_VERSION(LB_PLUGIN_API_VERSION_MAJOR + 1, 0, 0);
}

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  (void)host;
  out->id = "bad_major";
  out->name = "must never be called";
  out->version = "9.9.9";
  return LB_ERROR;
}
