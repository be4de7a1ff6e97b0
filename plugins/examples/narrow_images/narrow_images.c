/* Example check plugin: flags images narrower than a minimum width (a client's spec). The score
 * is how far short the image falls (0..1). Links only labelbench_plugin.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labelbench_plugin.h"

LB_PLUGIN_DECLARE_API_VERSION()

static const lb_setting_def kSettings[] = {
    {"min_width_px", LB_SETTING_INT, "640", "Images narrower than this are flagged"},
};

typedef struct {
  const lb_project_view* project;
  const lb_findings_sink* sink;
  long min_width;
} check_state;

static int check_item(void* user, const lb_item_view* item) {
  check_state* st = (check_state*)user;
  char detail[160];
  if (st->project->is_cancelled(st->project)) return LB_CANCELLED;
  if (strcmp(item->kind, "image") != 0 || item->width_px >= st->min_width) return 0;
  snprintf(detail, sizeof detail, "{\"width_px\": %d, \"min_width_px\": %ld}", item->width_px, st->min_width);
  st->sink->add_finding(st->sink, item->id, 1.0 - (double)item->width_px / (double)st->min_width, detail);
  return 0;
}

static int run_check(const lb_project_view* project, const lb_settings* settings, const lb_findings_sink* sink,
                     char* error, size_t error_size) {
  check_state st;
  const char* min = settings->get(settings, "min_width_px");
  st.project = project;
  st.sink = sink;
  st.min_width = min ? strtol(min, NULL, 10) : 640;
  if (st.min_width <= 0) {
    snprintf(error, error_size, "min_width_px must be positive, not %ld", st.min_width);
    return LB_BAD_INPUT;
  }
  return project->for_each_item(project, check_item, &st);
}

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  lb_check_capability check;
  memset(&check, 0, sizeof check);
  check.size = sizeof check;
  check.id = "narrow";
  check.name = "Images narrower than the client's minimum";
  check.settings = kSettings;
  check.setting_count = 1;
  check.run_check = run_check;

  out->id = "narrow_images";
  out->name = "Narrow image check";
  out->version = "1.0.0";
  out->description = "Flags images whose width is below min_width_px";
  return host->register_capability(host, LB_CAPABILITY_CHECK, &check, sizeof check);
}
