/* LabelBench plugin ABI — one pure C99 header. A plugin is a shared library that includes only
 * this file. It exports two functions:
 *
 *   LB_PLUGIN_EXPORT uint32_t lb_plugin_api_version(void);   -- use LB_PLUGIN_DECLARE_API_VERSION()
 *   LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out);
 *
 * The host first calls lb_plugin_api_version() and refuses the plugin when its major version
 * differs from the host's or its minor version is newer (the plugin may use fields the host does
 * not know). Only then does it call lb_plugin_entry(), in which the plugin fills `out` and calls
 * host->register_capability() once per capability it offers (importer, exporter, check, assist).
 *
 * Rules that keep old plugins working with newer hosts (the OBS Studio way):
 *  - Every struct passed across begins with `size_t size` = sizeof the struct as the writer was
 *    compiled. Fields are only ever appended; a reader looks at a field only when the struct is
 *    large enough to hold it (LB_HAS_FIELD).
 *  - Each capability struct marks its fields REQUIRED or optional. The host refuses a plugin whose
 *    capability struct is smaller than the required fields or leaves a required function NULL.
 *  - Memory is freed by whoever allocated it. Strings the plugin hands over (ids, names, setting
 *    definitions) are static in the plugin and must live until the library is unloaded. Outputs
 *    go into host callbacks or host-provided buffers; every host pointer given to a call is valid
 *    only during that call.
 *  - No C++ types and no exceptions cross this boundary; a C++ plugin must catch everything.
 *  - Calls return LB_OK (0) or an error code; on error the plugin writes a message naming the
 *    item/file and what to do into the `error` buffer (NUL-terminated, at most error_size bytes).
 *
 * Threads: the host calls a plugin from one thread at a time, not necessarily the UI thread.
 * Results: the host records the plugin id and version with everything a plugin produces
 * (annotation source "plugin:<id>@<version>", findings check "plugin:<id>").
 */
#ifndef LABELBENCH_PLUGIN_H
#define LABELBENCH_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* [SECTION] Versions ---------------------------------------------------------------------- */

#define LB_PLUGIN_MAKE_VERSION(major, minor, patch) \
  ((((uint32_t)(major)) << 16) | (((uint32_t)(minor)) << 8) | ((uint32_t)(patch)))
#define LB_PLUGIN_VERSION_MAJOR(v) (((uint32_t)(v) >> 16) & 0xffffu)
#define LB_PLUGIN_VERSION_MINOR(v) (((uint32_t)(v) >> 8) & 0xffu)
#define LB_PLUGIN_VERSION_PATCH(v) ((uint32_t)(v) & 0xffu)

#define LB_PLUGIN_API_VERSION_MAJOR 1
#define LB_PLUGIN_API_VERSION_MINOR 0
#define LB_PLUGIN_API_VERSION_PATCH 0
#define LB_PLUGIN_API_VERSION \
  LB_PLUGIN_MAKE_VERSION(LB_PLUGIN_API_VERSION_MAJOR, LB_PLUGIN_API_VERSION_MINOR, LB_PLUGIN_API_VERSION_PATCH)

#if defined(_WIN32)
#define LB_PLUGIN_EXPORT __declspec(dllexport)
#else
#define LB_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Defines lb_plugin_api_version() returning the version this plugin was compiled against. */
#define LB_PLUGIN_DECLARE_API_VERSION() \
  LB_PLUGIN_EXPORT uint32_t lb_plugin_api_version(void) { return LB_PLUGIN_API_VERSION; }

/* True when a struct of which the writer reported `s->size` bytes contains `field`. */
#define LB_HAS_FIELD(s, type, field) \
  ((s)->size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* [SECTION] Common types ------------------------------------------------------------------- */

typedef enum lb_status {
  LB_OK = 0,
  LB_ERROR = 1,      /* failed; message in the error buffer */
  LB_CANCELLED = 2,  /* stopped because the host's is_cancelled() said so */
  LB_BAD_INPUT = 3   /* an input (file, item, setting) is not what the plugin can handle */
} lb_status;

typedef enum lb_capability_kind {
  LB_CAPABILITY_IMPORTER = 1,
  LB_CAPABILITY_EXPORTER = 2,
  LB_CAPABILITY_CHECK = 3,   /* raw-data check: produces findings per item */
  LB_CAPABILITY_ASSIST = 4   /* gets an image, returns proposed shapes */
} lb_capability_kind;

typedef enum lb_log_level { LB_LOG_DEBUG = 0, LB_LOG_INFO = 1, LB_LOG_WARNING = 2, LB_LOG_ERROR = 3 } lb_log_level;

/* [SECTION] Settings: the plugin declares them, the host draws them (GUI) or takes them as
 * --set key=value (CLI), validates the type and passes them back as text. ------------------ */

typedef enum lb_setting_type {
  LB_SETTING_BOOL = 1,    /* "true" / "false" */
  LB_SETTING_INT = 2,     /* decimal integer */
  LB_SETTING_DOUBLE = 3,  /* decimal number */
  LB_SETTING_STRING = 4,
  LB_SETTING_PATH = 5     /* a file or folder path; the GUI offers a file picker */
} lb_setting_type;

typedef struct lb_setting_def {
  const char* key;            /* REQUIRED: [a-z0-9_]+, unique within the capability */
  lb_setting_type type;       /* REQUIRED */
  const char* default_value;  /* REQUIRED: as text, valid for `type` */
  const char* description;    /* optional: one line shown next to the control */
} lb_setting_def;

/* Values chosen by the user, owned by the host, valid during the call they are passed to. */
typedef struct lb_settings {
  size_t size;
  const void* host_data;
  /* The value of `key` as text (the default when the user gave none); NULL for an unknown key. */
  const char* (*get)(const struct lb_settings* settings, const char* key);
} lb_settings;

/* [SECTION] The host, as the plugin sees it --------------------------------------------------- */

typedef struct lb_host_api lb_host_api;
struct lb_host_api {
  size_t size;
  uint32_t api_version;  /* the host's LB_PLUGIN_API_VERSION */
  void* host_data;       /* for the host; plugins pass `host` back, never this */
  /* Registers one capability. `capability` points to one of the lb_*_capability structs below,
   * `size` is sizeof that struct as the plugin knows it (and equals its first field). The host
   * copies the struct. Returns LB_OK, or LB_ERROR when the struct is refused (the plugin is then
   * listed as refused with the reason). */
  int (*register_capability)(const lb_host_api* host, lb_capability_kind kind, const void* capability,
                             size_t size);
  void (*log)(const lb_host_api* host, lb_log_level level, const char* message);
};

/* Filled by the plugin in lb_plugin_entry(); `size` is set by the host. Strings are static. */
typedef struct lb_plugin_info {
  size_t size;
  const char* id;          /* REQUIRED: stable, [a-z0-9_.-]+, e.g. "csv_boxes" */
  const char* name;        /* REQUIRED: shown to people */
  const char* version;     /* REQUIRED: the plugin's own version, e.g. "1.2.0" */
  const char* description; /* optional */
  const char* author;      /* optional */
} lb_plugin_info;

typedef int (*lb_plugin_entry_fn)(const lb_host_api* host, lb_plugin_info* out);
typedef uint32_t (*lb_plugin_api_version_fn)(void);

/* [SECTION] The project as exporters and checks read it ----------------------------------------- */

typedef struct lb_annotation_view {
  size_t size;
  int64_t id;
  const char* kind;            /* "box", "polygon", "mask", ... (model.h AnnotationKind names) */
  const char* class_name;      /* "" when none */
  const double* coords;        /* image pixels / code points, per kind (see model.h) */
  size_t coord_count;
  const char* attributes_json; /* {"name": value} */
  const char* data_json;       /* kind-specific payload */
  const char* source;          /* "manual", "assist:...", "plugin:...", "import:..." */
} lb_annotation_view;

typedef struct lb_item_view {
  size_t size;
  int64_t id;
  const char* kind;            /* "image", "text", "prompt" */
  const char* media_path;      /* relative to the media root ("" for inline texts) */
  const char* absolute_path;   /* media_path resolved against the media root */
  int32_t width_px;
  int32_t height_px;
  const char* state;           /* "new", "in_progress", "submitted", "accepted", "rejected" */
  int32_t nothing_here;        /* 1: reviewed, nothing here (not the same as no annotations yet) */
  const char* text;            /* texts and prompts; "" otherwise */
  const lb_annotation_view* annotations; /* array of annotation_count */
  size_t annotation_count;
} lb_item_view;

/* Decoded pixels, always 8-bit, rows top to bottom, owned by whoever allocated them. */
typedef struct lb_image {
  size_t size;
  int32_t width_px;
  int32_t height_px;
  int32_t channels;   /* 1 = grey, 3 = B,G,R */
  int32_t stride;     /* bytes per row */
  const uint8_t* pixels;
} lb_image;

typedef struct lb_project_view lb_project_view;
struct lb_project_view {
  size_t size;
  void* host_data;
  const char* project_name;
  const char* media_root;
  /* Calls `fn` once per item (excluded items skipped) in id order, with its annotations
   * (reference answers never included). `fn` returns 0 to go on, non-zero to stop.
   * Returns LB_OK, LB_CANCELLED, or what `fn` returned to stop. */
  int (*for_each_item)(const lb_project_view* view, int (*fn)(void* user, const lb_item_view* item), void* user);
  /* Non-zero once the user asked to stop; long loops should look at it now and then. */
  int (*is_cancelled)(const lb_project_view* view);
  /* Decodes an item's image into `out` (host memory); release it with release_image. */
  int (*load_image)(const lb_project_view* view, int64_t item_id, lb_image* out);
  void (*release_image)(const lb_project_view* view, lb_image* image);
};

/* [SECTION] Capabilities ----------------------------------------------------------------------- */

/* Writes the project in some format. */
typedef struct lb_exporter_capability {
  size_t size;                       /* REQUIRED: sizeof(lb_exporter_capability) */
  const char* id;                    /* REQUIRED: unique within the plugin */
  const char* name;                  /* REQUIRED */
  const char* file_extension;        /* optional: e.g. "csv" */
  const lb_setting_def* settings;    /* optional: array of setting_count */
  size_t setting_count;
  /* REQUIRED: writes the project to `output_path` (a file or folder the user chose). */
  int (*export_project)(const lb_project_view* project, const lb_settings* settings, const char* output_path,
                        char* error, size_t error_size);
} lb_exporter_capability;

/* Sink for check findings: one per flagged item. detail_json: an object ("{}" allowed). */
typedef struct lb_findings_sink {
  size_t size;
  void* host_data;
  void (*add_finding)(const struct lb_findings_sink* sink, int64_t item_id, double score, const char* detail_json);
} lb_findings_sink;

/* Inspects the raw data and flags items (findings are reviewable; they can exclude items). */
typedef struct lb_check_capability {
  size_t size;                       /* REQUIRED */
  const char* id;                    /* REQUIRED */
  const char* name;                  /* REQUIRED */
  const lb_setting_def* settings;    /* optional */
  size_t setting_count;
  /* REQUIRED */
  int (*run_check)(const lb_project_view* project, const lb_settings* settings, const lb_findings_sink* sink,
                   char* error, size_t error_size);
} lb_check_capability;

/* Sink for proposed shapes. kind and coords as in lb_annotation_view; data_json may be NULL. */
typedef struct lb_shapes_sink {
  size_t size;
  void* host_data;
  void (*add_shape)(const struct lb_shapes_sink* sink, const char* kind, const double* coords, size_t coord_count,
                    const char* data_json);
} lb_shapes_sink;

/* What the annotator gave the assist: an optional box and/or clicked points (image pixels). */
typedef struct lb_assist_input {
  size_t size;
  int32_t has_box;
  double box[4];        /* x1, y1, x2, y2 */
  const double* points; /* x0, y0, x1, y1, ... */
  size_t point_count;   /* number of points (pairs) */
} lb_assist_input;

typedef struct lb_assist_capability {
  size_t size;                       /* REQUIRED */
  const char* id;                    /* REQUIRED */
  const char* name;                  /* REQUIRED */
  const lb_setting_def* settings;    /* optional */
  size_t setting_count;
  /* REQUIRED: proposes shapes on `image`; the annotator accepts or discards them. */
  int (*run_assist)(const lb_image* image, const lb_assist_input* input, const lb_settings* settings,
                    const lb_shapes_sink* sink, int (*is_cancelled)(void* token), void* cancel_token,
                    char* error, size_t error_size);
} lb_assist_capability;

/* Sink for imported items and their labels. */
typedef struct lb_import_sink {
  size_t size;
  void* host_data;
  /* Adds an image item from a file; returns a handle (> 0) for add_annotation, or 0 on refusal. */
  int64_t (*add_image)(const struct lb_import_sink* sink, const char* file_path);
  void (*add_annotation)(const struct lb_import_sink* sink, int64_t item_handle, const char* kind,
                         const char* class_name, const double* coords, size_t coord_count, const char* data_json);
} lb_import_sink;

/* Reads a client's batch in some format. */
typedef struct lb_importer_capability {
  size_t size;                       /* REQUIRED */
  const char* id;                    /* REQUIRED */
  const char* name;                  /* REQUIRED */
  const lb_setting_def* settings;    /* optional */
  size_t setting_count;
  /* REQUIRED: non-zero when this importer can read `input_path` (cheap: look at names/headers). */
  int (*can_import)(const char* input_path);
  /* REQUIRED */
  int (*import_batch)(const char* input_path, const lb_settings* settings, const lb_import_sink* sink,
                      char* error, size_t error_size);
} lb_importer_capability;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LABELBENCH_PLUGIN_H */
