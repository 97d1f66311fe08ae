#pragma once
// One firm: its employees' beliefs and autonomy, its organisational code, and the steps of
// a period that happen inside it (MODEL.md section 2: turnover, act, socialisation, code
// learning). Employees are stored as structure-of-arrays bit-planes; employee i's words
// are [i * words, (i + 1) * words).

#include <string>
#include <vector>

#include "orgsim/core/Random.h"
#include "orgsim/model/BitPlanes.h"
#include "orgsim/model/Observation.h"
#include "orgsim/model/Params.h"
#include "orgsim/model/Reality.h"
#include "orgsim/model/VerticalCounter.h"

namespace orgsim::model {

/// The firm's own random streams, one per purpose.
struct FirmStreams {
  RandomStream hire;
  RandomStream turnover;
  RandomStream act;
  RandomStream socialise;
  RandomStream code_learning;
};

/// FirmStreams of firm `key` (see firm_key) in replication `replication`.
FirmStreams make_firm_streams(std::uint64_t seed, std::uint64_t replication, std::uint64_t key);

class Firm {
 public:
  /// Hires the firm's employees; the code starts all 0.
  Firm(std::string name, const ModelParams& params, FirmStreams streams);

  // Steps of one period, in MODEL.md's order.
  void turnover();                   ///< step 1
  void act(const Reality& reality);  ///< step 3: actions, performance, output, S_c
  void socialise();                  ///< step 5
  void learn_code();                 ///< step 6

  /// True when no employee could still beat the code and none differs from it on a
  /// non-zero code dimension: nothing can change any more without turnover or turbulence.
  bool settled(const Reality& reality) const;

  /// Innovation level I_f = K(code) on `reality`.
  double innovation(const Reality& reality) const;
  /// Y_f of the last act().
  double output() const { return output_; }
  int headcount() const { return employees_; }

  /// The firm's own quantities (everything but the market's).
  void observe(const Reality& reality, Observation& observation) const;

  const std::string& name() const { return name_; }

  // Read access for tests and diagnostics.
  BeliefView beliefs(int employee) const {
    const auto offset = static_cast<std::size_t>(employee * words_);
    return {known_.data() + offset, positive_.data() + offset};
  }
  BeliefView code() const { return {code_known_.data(), code_positive_.data()}; }
  double autonomy(int employee) const { return autonomy_[static_cast<std::size_t>(employee)]; }
  int performance(int employee) const { return performance_[static_cast<std::size_t>(employee)]; }
  int code_score_at_start() const { return code_score_at_start_; }

  /// Replaces the state wholesale (tests build hand-made states with this). Each belief
  /// vector is given as values in {-1, 0, +1}.
  void set_state(const std::vector<std::vector<int>>& beliefs, const std::vector<int>& code);

 private:
  void hire(int employee);
  void update_socialisation_threshold(int employee);

  std::string name_;
  int dimensions_;
  int words_;
  int employees_;
  FirmParams params_;
  ManagerParams manager_;
  FirmStreams streams_;

  std::vector<Word> known_;     // employees * words
  std::vector<Word> positive_;  // employees * words, set only where known
  std::vector<double> autonomy_;
  std::vector<std::uint64_t> socialisation_threshold_;  // per employee, see RandomStream

  std::vector<Word> code_known_;
  std::vector<Word> code_positive_;

  // This period's acting.
  std::vector<Word> action_positive_;  // employees * words; actions are never 0
  std::vector<int> performance_;       // P_i
  int code_score_at_start_ = 0;        // S_c
  double output_ = 0.0;                // Y_f

  std::vector<double> adoption_probability_;  // 1 - (1 - p2)^k for k = 0..employees
  std::uint64_t turnover_threshold_ = 0;
  std::vector<Word> valid_;      // valid_mask of each word
  std::vector<int> valid_bits_;  // dimensions in each word
  VerticalCounter votes_;
  std::vector<int> superior_;  // this period's superior group
  // Scratch for observe(), kept to avoid allocating every recorded period.
  mutable VerticalCounter positive_beliefs_;
  mutable VerticalCounter negative_beliefs_;
};

}  // namespace orgsim::model
