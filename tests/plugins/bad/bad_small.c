/* Test-only plugin whose exporter struct stops before its required export function, as an old or
 * hand-rolled header would produce. */
#include <string.h>

#include "labelbench_plugin.h"

LB_PLUGIN_DECLARE_API_VERSION()

typedef struct {
  size_t size;
  const char* id;
  const char* name;
} truncated_exporter;

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  truncated_exporter e;
  e.size = sizeof e;
  e.id = "small";
  e.name = "Too small";
  out->id = "bad_small";
  out->name = "Too-small capability";
  out->version = "0.1.0";
  return host->register_capability(host, LB_CAPABILITY_EXPORTER, &e, sizeof e);
}
