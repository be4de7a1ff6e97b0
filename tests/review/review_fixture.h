#pragma once
// A small project for review tests: a lead, a reviewer, two annotators, an object class "car"
// (with a required attribute "make"), "person", a span class "name", image tags "day"/"night",
// three reject reasons, and image / text items.
#include <gtest/gtest.h>

#include <memory>

#include "labeling/session/session.h"
#include "labeling/store/project_store.h"
#include "support/test_support.h"

namespace lb::test {

using namespace lb::labeling;

struct ReviewProject {
  TempDir dir;
  std::string path;
  UserId lead = 0, reviewer = 0, anna = 0, ben = 0;
  ClassId car = 0, person = 0, name = 0, day = 0, night = 0;
  BatchId batch = 0;

  ReviewProject() {
    path = dir.file("p.lbproj");
    auto s = createProject(path);
    EXPECT_TRUE(s) << s.error().message;
    auto& st = **s;
    lead = *st.addUser("lea", Role::Lead);
    reviewer = *st.addUser("rex", Role::Reviewer);
    anna = *st.addUser("anna", Role::Annotator);
    ben = *st.addUser("ben", Role::Annotator);
    LabelSchema schema;
    ClassDef c;
    c.name = "car";
    c.attributes.push_back({"make", AttributeType::Text, true, {}, ""});
    schema.classes.push_back(c);
    ClassDef p;
    p.name = "person";
    schema.classes.push_back(p);
    ClassDef n;
    n.name = "name";
    n.scope = ClassScope::Span;
    schema.classes.push_back(n);
    ClassDef d;
    d.name = "day";
    d.scope = ClassScope::ImageTag;
    schema.classes.push_back(d);
    ClassDef ni;
    ni.name = "night";
    ni.scope = ClassScope::ImageTag;
    schema.classes.push_back(ni);
    schema.rejectReasons = {"missed object", "wrong class", "loose box"};
    EXPECT_TRUE(st.setSchema(schema));
    const auto stored = st.schema();
    car = stored.findClass("car")->id;
    person = stored.findClass("person")->id;
    name = stored.findClass("name")->id;
    day = stored.findClass("day")->id;
    night = stored.findClass("night")->id;
    batch = *st.createBatch("b1", "test");
  }

  std::unique_ptr<ProjectStore> open() {
    auto s = openProject(path);
    EXPECT_TRUE(s) << s.error().message;
    return std::move(*s);
  }
  std::unique_ptr<Session> session(UserId user) {
    auto st = open();
    auto u = st->user(user);
    return std::make_unique<Session>(std::move(st), *u, "test");
  }

  ItemId addImage(ProjectStore& st, const std::string& key, int w = 640, int h = 480) {
    NewItem n;
    n.item.batchId = batch;
    n.item.kind = ItemKind::Image;
    n.item.mediaPath = key + ".jpg";
    n.item.sourceKey = key;
    n.item.contentHash = key;
    n.item.widthPx = w;
    n.item.heightPx = h;
    return *st.insertItem(n);
  }
  ItemId addText(ProjectStore& st, const std::string& key, const std::string& text, std::int64_t lengthCp) {
    NewItem n;
    n.item.batchId = batch;
    n.item.kind = ItemKind::Text;
    n.item.sourceKey = key;
    n.item.contentHash = key;
    n.item.text = text;
    n.item.lengthCodePoints = lengthCp;
    return *st.insertItem(n);
  }
};

inline Annotation boxOf(ClassId cls, double x0, double y0, double x1, double y1, const std::string& attrs = "{}") {
  Annotation a;
  a.kind = AnnotationKind::Box;
  a.classId = cls;
  a.coords = {x0, y0, x1, y1};
  a.attributesJson = attrs;
  return a;
}

inline Annotation spanOf(ClassId cls, double start, double end) {
  Annotation a;
  a.kind = AnnotationKind::Span;
  a.classId = cls;
  a.coords = {start, end};
  return a;
}

inline Annotation tagOf(ClassId cls) {
  Annotation a;
  a.kind = AnnotationKind::Tag;
  a.classId = cls;
  return a;
}

}  // namespace lb::test
