#include "ecpa/store/stores.hpp"

#include <gtest/gtest.h>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;
using testing::code_of;
using testing::TempDir;

TEST(Stores, OpenMigratesAndReopensWithTheSameKey) {
  TempDir dir;
  const StoreConfig config{testing::sqlite_url(dir / "portal.db"), dir / "id.key", {}};
  std::int64_t person = 0;
  {
    auto s = Stores::open(config);
    EXPECT_FALSE(s->migration().applied.empty());
    s->people().put_agency({"A01", "人事總處"});
    const PersonImportRow rows[] = {{"A123456789", "王小明", "A01", "", ""}};
    person = *s->people().import_people(rows, ImportMode::AllOrNothing).rows[0].person_id;
    s->bindings().bind(person, {BindingMethod::Citizen, "C=TW", "01", "TP03200302000536", std::nullopt},
                       at_seconds(1));
    s->audit().append({at_seconds(1), "bind.ok", "citizen", person, "C=TW", "1", "", "127.0.0.1", "t1"});
  }
  auto s = Stores::open(config);
  EXPECT_TRUE(s->migration().applied.empty());
  auto found = s->people().find_by_national_id(tw::NationalId::parse("A123456789").value());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, person);
  EXPECT_EQ(s->bindings().find_active("C=TW", "1")->person_id, person);
  EXPECT_TRUE(s->audit().verify().ok);
}

TEST(Stores, BadUrlOrKeyFails) {
  TempDir dir;
  EXPECT_EQ(code_of([&] {
              Stores::open({"postgresql://x", dir / "id.key", {}});
            }),
            "STORE_BACKEND_UNSUPPORTED");
  EXPECT_EQ(code_of([&] {
              Stores::open({"sqlite::memory:", dir / "nope" / "id.key", {}});
            }),
            "KEY_FILE_ERROR");
}

}  // namespace
}  // namespace ecpa::store
