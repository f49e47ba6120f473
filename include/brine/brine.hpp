// The umbrella header: everything a user of brine needs.
#pragma once

#include <brine/api/dump.hpp>
#include <brine/api/identify.hpp>
#include <brine/api/archive.hpp>
#include <brine/api/load.hpp>
#include <brine/api/verify.hpp>
#include <brine/codec/codec.hpp>
#include <brine/codec_stream.hpp>
#include <brine/crypto/age.hpp>
#include <brine/error.hpp>
#include <brine/options.hpp>
#include <brine/serialize.hpp>
#include <brine/store/frozen_map.hpp>
#include <brine/store/memory.hpp>
#include <brine/types/all.hpp>
#include <brine/types/brine_array.hpp>
#include <brine/types/value.hpp>
#include <brine/value/value.hpp>
#include <brine/store/spill_map.hpp>
