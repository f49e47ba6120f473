// Every type brine/types/ supports, in one include.
#pragma once

#include <brine/types/arithmetic.hpp>
#include <brine/types/array.hpp>
#include <brine/types/chrono.hpp>
#include <brine/types/complex.hpp>
#include <brine/types/deque.hpp>
#include <brine/types/enum.hpp>
#include <brine/types/fields.hpp>
#include <brine/types/list.hpp>
#include <brine/types/map.hpp>
#include <brine/types/optional.hpp>
#include <brine/types/record_array.hpp>
#include <brine/types/set.hpp>
#include <brine/types/string.hpp>
#include <brine/types/tuple.hpp>
#include <brine/types/unordered_map.hpp>
#include <brine/types/unordered_set.hpp>
#include <brine/types/utility.hpp>
#include <brine/types/variant.hpp>
#include <brine/types/vector.hpp>
#include <brine/types/xtensor.hpp>
