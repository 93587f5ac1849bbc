#include "config/settings.h"
#include "storage/local_store.h"
#include "storage/object_store.h"
#include "storage/s3_store.h"

namespace dlctl {

std::unique_ptr<ObjectStore> OpenObjectStore(const Settings& settings) {
  if (settings.s3) return std::make_unique<S3Store>(*settings.s3, settings.bucket);
  return std::make_unique<LocalStore>(settings.LocalBucketRoot());
}

}  // namespace dlctl
