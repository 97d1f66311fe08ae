#include "orgsim/model/Observation.h"

namespace orgsim::model {

const std::array<QuantityInfo, kQuantityCount>& quantity_info() {
  static constexpr std::array<QuantityInfo, kQuantityCount> kInfo = {{
      {"innovation", "share of dimensions",
       "I_f = K(code): share of dimensions the code gets right"},
      {"code_score", "net score per dimension",
       "score(code)/m: right minus wrong dimensions of the code, per dimension (March's Figure 1)"},
      {"mean_knowledge", "share of dimensions", "mean over employees of K(beliefs)"},
      {"output", "output units", "Y_f: summed output of production employees this period"},
      {"output_per_head", "output units per employee", "Y_f divided by headcount"},
      {"market_share", "share of customers", "s_f = q_f / sum_g q_g"},
      {"lead", "share of customers", "market share minus the best rival's (0 with one firm)"},
      {"innovation_lead", "share of dimensions",
       "innovation minus the best rival's (0 with one firm)"},
      {"rank", "rank", "rank by market share, 1 = best"},
      {"explore_share", "share of headcount", "x_f: share of employees in exploration"},
      {"mean_pressure", "pressure", "mean manager pressure over production employees"},
      {"mean_autonomy", "autonomy", "mean autonomy over employees"},
      {"diversity", "share of belief cells",
       "share of (employee, dimension) cells whose non-zero belief opposes the firm's majority "
       "view on that dimension (no cell opposes on a tied dimension)"},
      {"headcount", "employees", "employees in the firm"},
      {"leader_changes", "changes", "times the board has replaced the leader so far"},
      {"peer_adoptions", "beliefs per employee per period",
       "beliefs moved by example per employee per period: step 5b's moves this period over "
       "headcount (0 when firm.peer_learning = 0)"},
  }};
  return kInfo;
}

}  // namespace orgsim::model
