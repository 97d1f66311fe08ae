#include "orgsim/model/LeaderRule.h"

#include <cmath>

#include "orgsim/core/NumberText.h"

namespace orgsim::model {

bool uses_leader_rule(const ModelParams& params) {
  if (params.groups.empty()) return params.leader.policy == LeaderPolicy::external;
  for (const auto& group : params.groups) {
    if (group.params.leader.policy == LeaderPolicy::external) return true;
  }
  return false;
}

std::string rule_error_message(double returned, std::string_view firm, int period,
                               const LeaderParams& leader) {
  const std::string value = std::isnan(returned) ? "nan" : (returned > 0 ? "inf" : "-inf");
  return "leader.policy = python: the function returned " + value + " for firm '" +
         std::string(firm) + "' at period " + std::to_string(period) +
         "; return a number between " + number_text(leader.min_share) + " and " +
         number_text(leader.max_share);
}

}  // namespace orgsim::model
