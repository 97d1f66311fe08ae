#include "orgsim/model/Market.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace orgsim::model {

std::vector<MarketPosition> clear_market(const std::vector<FirmStanding>& firms,
                                         double sensitivity) {
  std::vector<MarketPosition> positions;
  clear_market(firms, sensitivity, positions);
  return positions;
}

void clear_market(const std::vector<FirmStanding>& firms, double sensitivity,
                  std::vector<MarketPosition>& positions) {
  const std::size_t count = firms.size();
  positions.resize(count);
  // Attractiveness first, kept in the share field until the total is known.
  double total = 0.0;
  for (std::size_t f = 0; f < count; ++f) {
    positions[f].share =
        std::max(0.0, firms[f].output_per_head) * std::exp(sensitivity * firms[f].innovation);
    total += positions[f].share;
  }
  for (std::size_t f = 0; f < count; ++f) {
    positions[f].share =
        total > 0.0 ? positions[f].share / total : 1.0 / static_cast<double>(count);
  }
  for (std::size_t f = 0; f < count; ++f) {
    double best_rival_share = -std::numeric_limits<double>::infinity();
    double best_rival_innovation = -std::numeric_limits<double>::infinity();
    int rank = 1;
    for (std::size_t g = 0; g < count; ++g) {
      if (g == f) continue;
      best_rival_share = std::max(best_rival_share, positions[g].share);
      best_rival_innovation = std::max(best_rival_innovation, firms[g].innovation);
      if (positions[g].share > positions[f].share) ++rank;
    }
    positions[f].lead = count > 1 ? positions[f].share - best_rival_share : 0.0;
    positions[f].innovation_lead = count > 1 ? firms[f].innovation - best_rival_innovation : 0.0;
    positions[f].rank = rank;
  }
}

}  // namespace orgsim::model
