/* Example exporter plugin: writes every box of the project as one CSV row
 *   media_path,width_px,height_px,class,x1,y1,x2,y2,source
 * Items reviewed as "nothing here" get one row with an empty class so a client can tell them from
 * items that were never labelled (which get no row). Links only labelbench_plugin.h. */
#include <stdio.h>
#include <string.h>

#include "labelbench_plugin.h"

LB_PLUGIN_DECLARE_API_VERSION()

static const lb_setting_def kSettings[] = {
    {"header", LB_SETTING_BOOL, "true", "Write a header row first"},
    {"separator", LB_SETTING_STRING, ",", "Field separator (one character)"},
};

typedef struct {
  FILE* out;
  char sep;
  const lb_project_view* project;
} export_state;

/* Quotes a field when it holds the separator, a quote or a line break (RFC 4180). */
static void write_field(FILE* out, const char* s, char sep) {
  if (!strchr(s, sep) && !strchr(s, '"') && !strchr(s, '\n')) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; ++s) {
    if (*s == '"') fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static int write_item(void* user, const lb_item_view* item) {
  export_state* st = (export_state*)user;
  size_t i;
  if (st->project->is_cancelled(st->project)) return LB_CANCELLED;
  if (item->nothing_here) {
    write_field(st->out, item->media_path, st->sep);
    fprintf(st->out, "%c%d%c%d%c%c%c%c%c%c\n", st->sep, item->width_px, st->sep, item->height_px, st->sep, st->sep,
            st->sep, st->sep, st->sep, st->sep);
    return 0;
  }
  for (i = 0; i < item->annotation_count; ++i) {
    const lb_annotation_view* a = &item->annotations[i];
    if (strcmp(a->kind, "box") != 0 || a->coord_count != 4) continue;
    write_field(st->out, item->media_path, st->sep);
    fprintf(st->out, "%c%d%c%d%c", st->sep, item->width_px, st->sep, item->height_px, st->sep);
    write_field(st->out, a->class_name, st->sep);
    fprintf(st->out, "%c%.2f%c%.2f%c%.2f%c%.2f%c", st->sep, a->coords[0], st->sep, a->coords[1], st->sep,
            a->coords[2], st->sep, a->coords[3], st->sep);
    write_field(st->out, a->source, st->sep);
    fputc('\n', st->out);
  }
  return 0;
}

static int export_project(const lb_project_view* project, const lb_settings* settings, const char* output_path,
                          char* error, size_t error_size) {
  export_state st;
  const char* header = settings->get(settings, "header");
  const char* sep = settings->get(settings, "separator");
  int rc;
  if (!sep || strlen(sep) != 1) {
    snprintf(error, error_size, "separator must be exactly one character, not '%s'", sep ? sep : "");
    return LB_BAD_INPUT;
  }
  st.out = fopen(output_path, "w");
  if (!st.out) {
    snprintf(error, error_size, "cannot write %s; check the folder exists and is writable", output_path);
    return LB_ERROR;
  }
  st.sep = sep[0];
  st.project = project;
  if (header && strcmp(header, "true") == 0)
    fprintf(st.out, "media_path%cwidth_px%cheight_px%cclass%cx1%cy1%cx2%cy2%csource\n", st.sep, st.sep, st.sep,
            st.sep, st.sep, st.sep, st.sep, st.sep);
  rc = project->for_each_item(project, write_item, &st);
  if (fclose(st.out) != 0 && rc == LB_OK) {
    snprintf(error, error_size, "writing %s failed (disk full?)", output_path);
    return LB_ERROR;
  }
  return rc;
}

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  lb_exporter_capability exporter;
  memset(&exporter, 0, sizeof exporter);
  exporter.size = sizeof exporter;
  exporter.id = "csv";
  exporter.name = "Boxes as CSV";
  exporter.file_extension = "csv";
  exporter.settings = kSettings;
  exporter.setting_count = sizeof kSettings / sizeof kSettings[0];
  exporter.export_project = export_project;

  out->id = "csv_boxes";
  out->name = "CSV box exporter";
  out->version = "1.0.0";
  out->description = "One CSV row per box: media path, image size, class, corners, source";
  out->author = "LabelBench examples";
  return host->register_capability(host, LB_CAPABILITY_EXPORTER, &exporter, sizeof exporter);
}
