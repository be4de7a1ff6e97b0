/* Example assist plugin: proposes the bounding box of the pixels brighter than a threshold inside
 * the annotator's box (or the whole image). Shows how an assist reads the image and returns
 * shapes through the host's sink. Links only labelbench_plugin.h. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "labelbench_plugin.h"

LB_PLUGIN_DECLARE_API_VERSION()

static const lb_setting_def kSettings[] = {
    {"threshold", LB_SETTING_INT, "200", "Grey level (0-255) above which a pixel counts as bright"},
};

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static int run_assist(const lb_image* image, const lb_assist_input* input, const lb_settings* settings,
                      const lb_shapes_sink* sink, int (*is_cancelled)(void*), void* cancel_token, char* error,
                      size_t error_size) {
  const char* t = settings->get(settings, "threshold");
  const int threshold = t ? atoi(t) : 200;
  int x0 = 0, y0 = 0, x1 = image->width_px, y1 = image->height_px;
  int minx = image->width_px, miny = image->height_px, maxx = -1, maxy = -1, x, y;
  if (input->has_box) {
    x0 = clampi((int)input->box[0], 0, image->width_px);
    y0 = clampi((int)input->box[1], 0, image->height_px);
    x1 = clampi((int)input->box[2], 0, image->width_px);
    y1 = clampi((int)input->box[3], 0, image->height_px);
  }
  for (y = y0; y < y1; ++y) {
    const uint8_t* row = image->pixels + (size_t)y * (size_t)image->stride;
    if ((y & 63) == 0 && is_cancelled(cancel_token)) return LB_CANCELLED;
    for (x = x0; x < x1; ++x) {
      const uint8_t* p = row + (size_t)x * (size_t)image->channels;
      const int grey = image->channels == 3 ? (p[0] + 2 * p[1] + p[2]) / 4 : p[0];
      if (grey > threshold) {
        if (x < minx) minx = x;
        if (y < miny) miny = y;
        if (x > maxx) maxx = x;
        if (y > maxy) maxy = y;
      }
    }
  }
  if (maxx < 0) {
    snprintf(error, error_size, "no pixel brighter than %d in the box; lower the threshold", threshold);
    return LB_BAD_INPUT;
  }
  {
    const double coords[4] = {minx, miny, maxx + 1, maxy + 1};
    sink->add_shape(sink, "box", coords, 4, "{\"why\": \"bright\"}");
  }
  return LB_OK;
}

LB_PLUGIN_EXPORT int lb_plugin_entry(const lb_host_api* host, lb_plugin_info* out) {
  lb_assist_capability a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.id = "bright_box";
  a.name = "Box around the bright part";
  a.settings = kSettings;
  a.setting_count = 1;
  a.run_assist = run_assist;
  out->id = "bright_region";
  out->name = "Bright region assist";
  out->version = "1.0.0";
  return host->register_capability(host, LB_CAPABILITY_ASSIST, &a, sizeof a);
}
