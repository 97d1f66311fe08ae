#pragma once
// The market where firms meet (MODEL.md step 9): customers split in proportion to each
// firm's attractiveness q_f = (Y_f / n_f) exp(beta I_f). Output per head is the managers'
// short-range measure and innovation the leaders' long-range one; total output is not
// used, since it would reward size alone.

#include <vector>

namespace orgsim::model {

struct FirmStanding {
  double output_per_head = 0.0;  ///< Y_f / n_f
  double innovation = 0.0;       ///< I_f
};

struct MarketPosition {
  double share = 0.0;            ///< s_f
  double lead = 0.0;             ///< s_f minus the best rival's share (0 with one firm)
  double innovation_lead = 0.0;  ///< I_f minus the best rival's (0 with one firm)
  int rank = 1;                  ///< 1 + number of firms with a strictly larger share
};

/// The market positions of every firm. Negative output (possible with a high
/// coordination cost) attracts no customers; if no firm attracts any, shares are equal.
std::vector<MarketPosition> clear_market(const std::vector<FirmStanding>& firms,
                                         double sensitivity);

/// The same into `positions` (resized to fit), allocating nothing once it has grown: the
/// form the period loop uses.
void clear_market(const std::vector<FirmStanding>& firms, double sensitivity,
                  std::vector<MarketPosition>& positions);

}  // namespace orgsim::model
