/* Example importer plugin: reads a client's CSV of boxes, one row per box,
 *   image,class,x1,y1,x2,y2
 * with image paths relative to the CSV file's folder (absolute paths are kept). A first row whose
 * x1 is not a number is taken as a header. A row with an image and nothing else adds the image
 * without labels. The same image on several rows is added once. Links only labelbench_plugin.h.
 *
 * Rows that cannot be read (missing fields, coordinates that are not numbers, x2 <= x1) stop the
 * import with a message naming the file and the line, because a half-read client batch is worse
 * than none: the user fixes the line and runs it again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labelbench_plugin.h"

LB_PLUGIN_DECLARE_API_VERSION()

static const lb_setting_def kSettings[] = {
    {"separator", LB_SETTING_STRING, ",", "Field separator (one character)"},
    {"default_class", LB_SETTING_STRING, "", "Class for rows whose class field is empty"},
};

enum { kMaxFields = 8, kMaxLine = 4096, kMaxImages = 100000 };

/* Ends with ".csv" (any case): what can_import looks at, so it stays cheap. */
static int has_csv_extension(const char* path) {
  size_t n = path ? strlen(path) : 0;
  const char* ext = n >= 4 ? path + n - 4 : "";
  return ext[0] == '.' && (ext[1] | 32) == 'c' && (ext[2] | 32) == 's' && (ext[3] | 32) == 'v';
}

static int can_import(const char* input_path) {
  FILE* f;
  if (!has_csv_extension(input_path)) return 0;
  f = fopen(input_path, "r");
  if (!f) return 0;
  fclose(f);
  return 1;
}

/* Splits `line` in place at `sep` (no quoting: file names and class names with the separator
 * need another separator). Returns the number of fields. */
static int split(char* line, char sep, char** fields) {
  int n = 0;
  char* p = line;
  size_t len = strlen(line);
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
  if (len == 0) return 0;
  fields[n++] = p;
  for (; *p; ++p)
    if (*p == sep) {
      *p = '\0';
      if (n == kMaxFields) return n + 1; /* too many: reported by the caller */
      fields[n++] = p + 1;
    }
  return n;
}

static int parse_number(const char* s, double* out) {
  char* end = NULL;
  if (!s || !*s) return 0;
  errno = 0;
  *out = strtod(s, &end);
  while (end && (*end == ' ' || *end == '\t')) ++end;
  return errno == 0 && end && *end == '\0';
}

/* The folder of `path` with a trailing '/', into `out`. */
static void folder_of(const char* path, char* out, size_t size) {
  const char* slash = strrchr(path, '/');
  size_t n = slash ? (size_t)(slash - path) + 1 : 0;
  if (n >= size) n = size - 1;
  memcpy(out, path, n);
  out[n] = '\0';
}

typedef struct {
  char* path;
  int64_t handle;
} image_entry;

static int import_batch(const char* input_path, const lb_settings* settings, const lb_import_sink* sink, char* error,
                        size_t error_size) {
  const char* sep_text = settings->get(settings, "separator");
  const char* default_class = settings->get(settings, "default_class");
  char line[kMaxLine], folder[kMaxLine], full[2 * kMaxLine];
  char* fields[kMaxFields + 1];
  image_entry* images = NULL;
  size_t image_count = 0, i;
  int line_no = 0, rc = LB_OK;
  FILE* f;
  if (!sep_text || strlen(sep_text) != 1) {
    snprintf(error, error_size, "separator must be exactly one character, not '%s'", sep_text ? sep_text : "");
    return LB_BAD_INPUT;
  }
  f = fopen(input_path, "r");
  if (!f) {
    snprintf(error, error_size, "cannot read %s; check the path", input_path);
    return LB_ERROR;
  }
  images = (image_entry*)calloc(kMaxImages, sizeof *images);
  if (!images) {
    fclose(f);
    snprintf(error, error_size, "out of memory reading %s", input_path);
    return LB_ERROR;
  }
  folder_of(input_path, folder, sizeof folder);
  while (fgets(line, sizeof line, f)) {
    int n;
    double c[4];
    int64_t handle = 0;
    const char* cls;
    ++line_no;
    n = split(line, sep_text[0], fields);
    if (n == 0) continue;
    if (line_no == 1 && n >= 3 && !parse_number(fields[2], &c[0])) continue; /* header */
    if (n != 1 && n != 6) {
      snprintf(error, error_size, "%s line %d has %d fields; expected image,class,x1,y1,x2,y2 (or the image alone)",
               input_path, line_no, n);
      rc = LB_BAD_INPUT;
      break;
    }
    if (fields[0][0] == '/') snprintf(full, sizeof full, "%s", fields[0]);
    else snprintf(full, sizeof full, "%s%s", folder, fields[0]);
    for (i = 0; i < image_count; ++i)
      if (strcmp(images[i].path, full) == 0) handle = images[i].handle;
    if (!handle) {
      handle = sink->add_image(sink, full);
      if (handle <= 0) {
        snprintf(error, error_size, "%s line %d: the image %s could not be added; check that it exists", input_path,
                 line_no, full);
        rc = LB_BAD_INPUT;
        break;
      }
      if (image_count < kMaxImages) {
        images[image_count].path = strdup(full);
        images[image_count].handle = handle;
        if (images[image_count].path) ++image_count;
      }
    }
    if (n == 1) continue;
    if (!parse_number(fields[2], &c[0]) || !parse_number(fields[3], &c[1]) || !parse_number(fields[4], &c[2]) ||
        !parse_number(fields[5], &c[3]) || c[2] <= c[0] || c[3] <= c[1]) {
      snprintf(error, error_size, "%s line %d: the box '%s,%s,%s,%s' is not x1,y1,x2,y2 with x2 > x1 and y2 > y1",
               input_path, line_no, fields[2], fields[3], fields[4], fields[5]);
      rc = LB_BAD_INPUT;
      break;
    }
    cls = fields[1][0] ? fields[1] : (default_class ? default_class : "");
    sink->add_annotation(sink, handle, "box", cls, c, 4, NULL);
  }
  for (i = 0; i < image_count; ++i) free(images[i].path);
  free(images);
  fclose(f);
  return rc;
}

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  lb_importer_capability c;
  memset(&c, 0, sizeof c);
  c.size = sizeof c;
  c.id = "boxes_csv";
  c.name = "Boxes from a CSV (image,class,x1,y1,x2,y2)";
  c.settings = kSettings;
  c.setting_count = sizeof kSettings / sizeof kSettings[0];
  c.can_import = can_import;
  c.import_batch = import_batch;
  out->id = "csv_box_import";
  out->name = "CSV box importer";
  out->version = "1.0.0";
  out->description = "Reads image,class,x1,y1,x2,y2 rows; image paths relative to the CSV";
  out->author = "LabelBench examples";
  return host->register_capability(host, LB_CAPABILITY_IMPORTER, &c, sizeof c);
}
