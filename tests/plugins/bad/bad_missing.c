/* Test-only plugin whose check leaves the required run_check function NULL. */
#include <string.h>

#include "labelbench_plugin.h"

LB_PLUGIN_DECLARE_API_VERSION()

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  lb_check_capability c;
  memset(&c, 0, sizeof c);
  c.size = sizeof c;
  c.id = "incomplete";
  c.name = "Forgot its function";
  out->id = "bad_missing";
  out->name = "Missing required function";
  out->version = "0.2.0";
  return host->register_capability(host, LB_CAPABILITY_CHECK, &c, sizeof c);
}
