// Crypto (ahash) on the real umc runtime, against kernel semantics, via the
// plain-C probes in crypto_driver.c.
#include <gtest/gtest.h>

#include "crypto_driver.h"

namespace {

TEST(Crypto, AhashVectorsOverScatterlists)
{
	EXPECT_EQ(ksd_ahash_vectors(), 0);
}

} // namespace
