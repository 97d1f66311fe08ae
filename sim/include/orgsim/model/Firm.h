#pragma once
// One firm: its employees (one EmployeeTable: beliefs, autonomy, roles and what they did
// this period), its organisational code, its managers, leader and board, and the steps of
// a period that happen inside it (MODEL.md section 2). Production employees form teams by
// position: the employee in place i belongs to team i / span_of_control while it produces.

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "orgsim/core/GeometricGaps.h"
#include "orgsim/core/Random.h"
#include "orgsim/model/BitPlanes.h"
#include "orgsim/model/Board.h"
#include "orgsim/model/EmployeeTable.h"
#include "orgsim/model/Leader.h"
#include "orgsim/model/Manager.h"
#include "orgsim/model/Observation.h"
#include "orgsim/model/Params.h"
#include "orgsim/model/PeerNetwork.h"
#include "orgsim/model/Reality.h"
#include "orgsim/model/VerticalCounter.h"

namespace orgsim::model {

/// The firm's own random streams, one per purpose.
struct FirmStreams {
  RandomStream hire;
  RandomStream turnover;
  RandomStream act;
  RandomStream experiment;
  RandomStream socialise;
  RandomStream code_learning;
  RandomStream manager;
  RandomStream board;
  RandomStream network;  ///< the peer network's ties (step 5b), drawn when p5 > 0
  RandomStream peer;     ///< step 5b's adoptions
};

/// How step 5b computes the example votes (PeerNetwork): the same bits either way.
enum class VoteMethod { bitplane, eigen };

/// FirmStreams of firm `key` (see firm_key) in replication `replication`.
FirmStreams make_firm_streams(std::uint64_t seed, std::uint64_t replication, std::uint64_t key);

class Firm {
 public:
  /// Hires the firm's employees, all producers; the code starts all 0. Call start() before
  /// the first period. `board_patience` is board.patience (0: the board never acts).
  Firm(std::string name, const GroupParams& params, int dimensions, FirmStreams streams,
       int board_patience = 0);

  /// Staffs exploration to the leader's initial share, least knowledgeable first (no output
  /// has been seen yet).
  void start(const Reality& reality);

  // The steps of one period, in MODEL.md section 2's order (step 2, turbulence, is
  // reality's). Simulation::advance calls them so, once each per period.
  /// 1: each employee is replaced by a new hire with probability p3.
  void turnover();
  /// 3: every employee's actions and performance P_i, each producer's output y_i, Y_f and
  /// each team's output; S_c, the code's score at the start of the period. Nothing else:
  /// the managers and the leader take what they need of it in steps 7 and 8.
  void act(const Reality& reality);
  void experiment(const Reality& reality);  ///< 4
  void socialise();                         ///< 5
  /// 5b, leading by example (p5 > 0 only): on the beliefs as step 5 left them, with this
  /// period's actions and performances, each candidate cell follows the better peers'
  /// example with probability p5 |E_ij| / W_i, one draw from the peer stream each, in order
  /// of (employee, dimension).
  void learn_from_peers();
  void learn_code();  ///< 6
  /// 7: each team's output this period (act()) goes into its manager's KPI window; at the
  /// end of a window the manager reviews its pressure.
  void manage(int period);
  /// 8: this period's cost of exploration (explorers times mean producer output, from
  /// act()) goes into the leader's cycle; on cycle ends the leader decides and people move
  /// between roles. `best_rival_innovation` is NaN without rivals. `chosen_share`: the
  /// python policy's decision at a cycle end (what the caller's rule returned; see
  /// Leader::decide), ignored by the other policies.
  void lead(int period, const Reality& reality, double best_rival_innovation,
            double chosen_share = std::numeric_limits<double>::quiet_NaN());
  /// True when `period` ends a leader cycle: the leader decides in lead(), the board
  /// reviews in review_board().
  bool leader_cycle_ends(int period) const { return period % params_.leader.cycle == 0; }
  /// 9: resource feedback towards `share` of the industry's `industry_headcount`.
  void adjust_headcount(double share, int industry_headcount, const MarketParams& market,
                        const Reality& reality);
  /// 10: on cycle ends the board reviews the ranking.
  void review_board(int period, bool ranked_last, const Reality& reality);

  /// True when no employee could still beat the code and none differs from it on a
  /// non-zero code dimension: nothing can change any more without turnover or turbulence.
  bool settled(const Reality& reality) const;

  /// Innovation level I_f = K(code) on `reality`.
  double innovation(const Reality& reality) const;
  /// Y_f of the last act().
  double output() const { return total_output_; }
  int headcount() const { return employees_.size(); }
  int explorers() const { return explorers_; }
  double resource_accumulator() const { return resource_accumulator_; }

  /// The firm's own quantities (everything but the market's).
  void observe(const Reality& reality, Observation& observation) const;

  const std::string& name() const { return name_; }
  int dimensions() const { return dimensions_; }
  /// The team of the employee in place `employee` while it produces: employee /
  /// span_of_control (explorers keep their place but report to the leader).
  int team(int employee) const { return employee / params_.firm.span_of_control; }

  // Read access for tests and diagnostics.
  const EmployeeTable& employees() const { return employees_; }
  BeliefView beliefs(int employee) const { return employees_.beliefs(employee); }
  BeliefView code() const { return {code_known_.data(), code_positive_.data()}; }
  double autonomy(int employee) const { return employees_.autonomy()[index(employee)]; }
  Role role(int employee) const { return employees_.role()[index(employee)]; }
  int performance(int employee) const { return employees_.performance()[index(employee)]; }
  double employee_output(int employee) const { return employees_.output()[index(employee)]; }
  int code_score_at_start() const { return code_score_at_start_; }
  const std::vector<Manager>& managers() const { return managers_; }
  const Leader& leader() const { return leader_; }
  int leader_changes() const { return board_.replacements(); }
  /// The peer network (empty when p5 = 0: nothing is built).
  const PeerNetwork& peer_network() const { return network_; }
  /// The streams as they stand (tests check which were drawn from).
  const FirmStreams& streams() const { return streams_; }
  /// Beliefs step 5b moved in the last period.
  int peer_adoptions() const { return peer_adoptions_; }
  /// Which implementation of the votes step 5b uses (tests compare the two).
  void set_vote_method(VoteMethod method) { vote_method_ = method; }

  /// Replaces beliefs and code wholesale (tests build hand-made states with this). Each
  /// belief vector is given as values in {-1, 0, +1}; roles are left as they are.
  void set_state(const std::vector<std::vector<int>>& beliefs, const std::vector<int>& code);
  /// Puts `employee` into `role` (tests).
  void set_role(int employee, Role role);

 private:
  static std::size_t index(int employee) { return static_cast<std::size_t>(employee); }

  template <bool kFullModel, int kWords>
  void act_employees(const Reality& reality);  // kWords: as in socialise_cells
  void record_team_output();                   // step 7's KPI, into each manager's window
  void charge_exploration_cost();              // step 8's cost, into the leader's cycle
  void hire(int employee);
  void hire_new_producer();
  void lay_off(int producers, int explorers, const Reality& reality);
  void remove(int employee);
  void staff(const Reality& reality, bool by_knowledge);
  void fit_teams();
  void fit_counters();
  void refresh_employee_rates();
  void select_socialisation_envelope(double highest);
  template <int kWords>  // words per belief vector, or 0: as many as the firm's
  void socialise_cells();
  // Right belief cells, and the positive and negative beliefs per dimension counted into
  // positive_beliefs_ and negative_beliefs_.
  template <int kWords>
  long count_beliefs(const Word* truth) const;
  double knowledge(int employee, const Reality& reality) const;
  void probe(int employee, const Reality& reality);

  std::string name_;
  int dimensions_;
  int words_;
  GroupParams params_;
  FirmStreams streams_;

  EmployeeTable employees_;
  int explorers_ = 0;

  // The employees' socialisation and experiment rates (the table's derived columns) are
  // refreshed when autonomy, roles or pressure change. Socialisation visits cells at the
  // firm's envelope, a level p1 * 2^(k/8) at or above every p_i (gaps between candidates),
  // and accepts a candidate with the employee's share of it (thinning).
  std::vector<std::pair<int, GeometricGaps>> socialisation_levels_;  // built, by level
  int socialisation_envelope_ = -1;  // index in socialisation_levels_; -1: nobody socialises
  bool rates_stale_ = true;

  std::vector<Word> code_known_;
  std::vector<Word> code_positive_;

  // This period's acting, besides the table's columns.
  int code_score_at_start_ = 0;  // S_c
  double total_output_ = 0.0;    // Y_f

  std::vector<Manager> managers_;
  std::vector<double> team_output_;  // this period's, per team (act)
  std::vector<int> team_producers_;  // this period's, per team (act)
  Leader leader_;
  Board board_;
  // Step 5b: built only when p5 > 0.
  bool peer_learning_ = false;
  bool anyone_autonomous_ = false;  // some a_i > 0 (refresh_employee_rates)
  PeerNetwork network_;
  VoteMethod vote_method_ = VoteMethod::bitplane;
  int peer_adoptions_ = 0;
  double resource_accumulator_ = 0.0;

  std::vector<double> adoption_probability_;  // 1 - (1 - p2)^k for k = 0..employees
  std::uint64_t turnover_threshold_ = 0;
  std::vector<Word> valid_;      // valid_mask of each word
  std::vector<int> valid_bits_;  // dimensions in each word
  int counter_capacity_ = 0;     // headcount the counters and the table below can take
  VerticalCounter votes_;
  std::vector<int> superior_;                            // this period's superior group
  std::vector<int> layoff_scratch_;                      // who leaves this period
  std::vector<std::pair<double, int>> ranking_scratch_;  // (key, position) of one role
  // Scratch for observe(), kept to avoid allocating every recorded period.
  mutable VerticalCounter positive_beliefs_;
  mutable VerticalCounter negative_beliefs_;
};

}  // namespace orgsim::model
