#include "orgsim/model/Market.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace orgsim::model {

std::vector<MarketPosition> clear_market(const std::vector<FirmStanding>& firms,
                                         double sensitivity) {
  const std::size_t count = firms.size();
  std::vector<MarketPosition> positions(count);
  std::vector<double> attractiveness(count);
  double total = 0.0;
  for (std::size_t f = 0; f < count; ++f) {
    attractiveness[f] =
        std::max(0.0, firms[f].output_per_head) * std::exp(sensitivity * firms[f].innovation);
    total += attractiveness[f];
  }
  for (std::size_t f = 0; f < count; ++f) {
    positions[f].share = total > 0.0 ? attractiveness[f] / total : 1.0 / static_cast<double>(count);
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
  return positions;
}

}  // namespace orgsim::model
