#include "orgsim/model/Firm.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>

#include "orgsim/core/BitSelect.h"
#include "orgsim/model/Streams.h"

namespace orgsim::model {

namespace {
// Explorers report to the leader, not a manager: neutral pressure.
constexpr double kExplorerPressure = 0.5;
}  // namespace

FirmStreams make_firm_streams(std::uint64_t seed, std::uint64_t replication, std::uint64_t key) {
  return FirmStreams{
      make_stream(seed, replication, key, StreamPurpose::hire),
      make_stream(seed, replication, key, StreamPurpose::turnover),
      make_stream(seed, replication, key, StreamPurpose::act),
      make_stream(seed, replication, key, StreamPurpose::experiment),
      make_stream(seed, replication, key, StreamPurpose::socialise),
      make_stream(seed, replication, key, StreamPurpose::code_learning),
      make_stream(seed, replication, key, StreamPurpose::manager),
      make_stream(seed, replication, key, StreamPurpose::board),
      make_stream(seed, replication, key, StreamPurpose::network),
      make_stream(seed, replication, key, StreamPurpose::peer),
  };
}

Firm::Firm(std::string name, const GroupParams& params, int dimensions, FirmStreams streams,
           int board_patience)
    : name_(std::move(name)),
      dimensions_(dimensions),
      words_(words_for(dimensions)),
      params_(params),
      streams_(std::move(streams)),
      employees_(words_, params.firm.employees),
      code_known_(static_cast<std::size_t>(words_), 0),
      code_positive_(static_cast<std::size_t>(words_), 0),
      leader_(params.leader, 0.0),  // the code starts all 0: innovation 0
      board_(board_patience),
      peer_learning_(params.firm.peer_learning > 0.0),
      turnover_threshold_(probability_threshold(params.firm.turnover)),
      votes_(words_, 0),
      positive_beliefs_(words_, 0),
      negative_beliefs_(words_, 0) {
  for (int w = 0; w < words_; ++w) {
    valid_.push_back(valid_mask(dimensions_, w));
    valid_bits_.push_back(std::popcount(valid_.back()));
  }
  for (int i = 0; i < headcount(); ++i) hire(i);
  fit_teams();
  fit_counters();
  if (peer_learning_) {
    network_ = PeerNetwork(headcount(), params_.firm.span_of_control, params_.firm.peer.cross_rate,
                           streams_.network);
  }
}

void Firm::start(const Reality& reality) {
  staff(reality, /*by_knowledge=*/true);
}

void Firm::hire(int employee) {
  auto& stream = streams_.hire;
  const auto offset = static_cast<std::size_t>(employee * words_);
  Word* known = employees_.known().data() + offset;
  Word* positive = employees_.positive().data() + offset;
  // Each belief is -1, 0 or +1 with probability 1/3, for a whole word of dimensions at
  // once: two random bits per dimension, (a, b) = 00 -> -1, 10 -> 0, 01 -> +1, and the
  // dimensions that drew 11 draw again until none is left.
  for (int w = 0; w < words_; ++w) {
    const Word valid = valid_[static_cast<std::size_t>(w)];
    const int width = valid_bits_[static_cast<std::size_t>(w)];
    Word a = stream.bits(width);
    Word b = stream.bits(width);
    for (Word redraw = a & b & valid; redraw != 0; redraw &= a & b) {
      a = (a & ~redraw) | (stream.bits(width) & redraw);
      b = (b & ~redraw) | (stream.bits(width) & redraw);
    }
    known[w] = ~a & valid;
    positive[w] = b & ~a & valid;
  }
  double& autonomy = employees_.autonomy()[index(employee)];
  const auto& dist = params_.firm.autonomy;
  switch (dist.distribution) {
    case AutonomyDistribution::fixed:
      autonomy = dist.mean;
      break;
    case AutonomyDistribution::beta:
      autonomy =
          stream.beta(dist.mean * dist.concentration, (1.0 - dist.mean) * dist.concentration);
      break;
    case AutonomyDistribution::two_point:
      autonomy = stream.bernoulli(dist.share_high) ? dist.high : dist.low;
      break;
  }
  rates_stale_ = true;
}

void Firm::refresh_employee_rates() {
  // Team by team: one pressure per team, and no division to find an employee's team.
  const int employees = headcount();
  const Role* role = employees_.role().data();
  const double* autonomy = employees_.autonomy().data();
  double* socialisation = employees_.socialisation_probability().data();
  double* experiment_probability = employees_.experiment_probability().data();
  std::uint64_t* acceptance = employees_.socialisation_acceptance().data();
  const double p1 = params_.firm.socialization;
  const double epsilon = params_.firm.experiment_rate;
  const int span = params_.firm.span_of_control;
  double highest = 0.0;
  for (int team = 0, first = 0; first < employees; ++team, first += span) {
    const int end = std::min(first + span, employees);
    const double manager_pressure = managers_[index(team)].pressure();
    for (int i = first; i < end; ++i) {
      const bool explorer = role[i] == Role::explorer;
      const double pressure = explorer ? kExplorerPressure : manager_pressure;
      const double a = autonomy[i];
      const double probability = std::min(1.0, p1 * (1.0 - a) * (0.5 + pressure));
      socialisation[i] = probability;
      highest = std::max(highest, probability);
      experiment_probability[i] = explorer ? 0.0 : a * epsilon * (1.0 - pressure);
    }
  }
  select_socialisation_envelope(highest);
  if (peer_learning_) {
    anyone_autonomous_ =
        std::any_of(autonomy, autonomy + employees, [](double a) { return a > 0.0; });
  }
  const double envelope =
      socialisation_envelope_ >= 0
          ? socialisation_levels_[index(socialisation_envelope_)].second.probability()
          : 1.0;
  for (int i = 0; i < employees; ++i) {
    const double probability = socialisation[i];
    acceptance[i] = probability >= envelope ? RandomStream::kAlways
                                            : probability_threshold(probability / envelope);
  }
  rates_stale_ = false;
}

void Firm::select_socialisation_envelope(double highest) {
  // Any envelope at or above the highest probability is exact. Envelopes come from the
  // levels p1 * 2^(k/8), so that managers nudging the pressure every period move among a
  // few levels whose gaps are built once per run, and a March firm, whose employees all
  // socialise at p1, needs no thinning.
  if (highest <= 0.0) {
    socialisation_envelope_ = -1;
    return;
  }
  constexpr double kLevelRatio = 1.0905077326652577;  // 2^(1/8)
  int level = 0;
  double envelope = params_.firm.socialization;  // > 0 whenever highest is
  while (envelope < highest && envelope < 1.0) {
    envelope *= kLevelRatio;
    ++level;
  }
  while (envelope / kLevelRatio >= highest) {
    envelope /= kLevelRatio;
    --level;
  }
  envelope = std::min(envelope, 1.0);
  for (std::size_t k = 0; k < socialisation_levels_.size(); ++k) {
    if (socialisation_levels_[k].first == level) {
      socialisation_envelope_ = static_cast<int>(k);
      return;
    }
  }
  socialisation_levels_.emplace_back(level, GeometricGaps(envelope));
  socialisation_envelope_ = static_cast<int>(socialisation_levels_.size()) - 1;
}

void Firm::fit_teams() {
  const int span = params_.firm.span_of_control;
  const auto teams = static_cast<std::size_t>((headcount() + span - 1) / span);
  // A new team gets a new manager; a team that disappears takes its manager with it.
  while (managers_.size() < teams) managers_.emplace_back(params_.manager, streams_.manager);
  while (managers_.size() > teams) managers_.pop_back();
  team_output_.resize(teams, 0.0);
  team_producers_.resize(teams, 0);
  rates_stale_ = true;
}

void Firm::fit_counters() {
  // Sized for a capacity that grows by half again when headcount outgrows it, so that a
  // firm hiring one employee at a time rebuilds these only now and then.
  if (headcount() <= counter_capacity_) return;
  counter_capacity_ = std::max(headcount(), counter_capacity_ + counter_capacity_ / 2);
  votes_ = VerticalCounter(words_, counter_capacity_);
  positive_beliefs_ = VerticalCounter(words_, counter_capacity_);
  negative_beliefs_ = VerticalCounter(words_, counter_capacity_);
  adoption_probability_.resize(index(counter_capacity_ + 1));
  for (int k = 0; k <= counter_capacity_; ++k) {
    adoption_probability_[index(k)] = 1.0 - std::pow(1.0 - params_.firm.code_learning, k);
  }
}

void Firm::turnover() {
  if (turnover_threshold_ == 0) return;
  for (int i = 0; i < headcount(); ++i) {
    if (streams_.turnover.bernoulli_mask(turnover_threshold_, 1) != 0) hire(i);
  }
}

void Firm::act(const Reality& reality) {
  if (rates_stale_) refresh_employee_rates();
  // March's organisation (no explorers, experiments or coordination cost) takes a loop
  // without the branches it does not need.
  const bool full =
      explorers_ > 0 || params_.firm.experiment_rate > 0.0 || params_.firm.coordination_cost != 0.0;
  // Up to 64 dimensions take loops compiled for one word (see socialise()).
  if (full) {
    words_ == 1 ? act_employees<true, 1>(reality) : act_employees<true, 0>(reality);
  } else {
    words_ == 1 ? act_employees<false, 1>(reality) : act_employees<false, 0>(reality);
  }
}

template <bool kFullModel, int kWords>
void Firm::act_employees(const Reality& reality) {
  const Word* truth = reality.positive();
  code_score_at_start_ = score(code(), truth, words_);
  // Locals rather than members in the loop: stores through the arrays below could alias
  // `this` as far as the compiler knows, and would force every member to be reloaded.
  const int dimensions = dimensions_;
  const int words = kWords > 0 ? kWords : words_;
  const double per_dimension = 1.0 / dimensions;
  const double coordination_cost = params_.firm.coordination_cost;
  const bool track_teams = params_.manager.policy == ManagerPolicy::hill_climb;
  const int span = params_.firm.span_of_control;
  const int employees = headcount();
  const Word* known = employees_.known().data();
  const Word* positive = employees_.positive().data();
  const Word* valid = valid_.data();
  const Word* code_known = code_known_.data();
  const Word* code_positive = code_positive_.data();
  const Role* role = employees_.role().data();
  const double* experiment_probability = employees_.experiment_probability().data();
  Word* action_positive = employees_.action_positive().data();
  int* performance = employees_.performance().data();
  double* output = employees_.output().data();
  RandomStream coin_stream = streams_.act;  // local: see socialise()
  double total = 0.0;
  // Team by team, so that an employee's team needs no division; the whole firm at once
  // when nobody reads the teams' output (fixed managers), sparing a loop exit per team.
  const int stride = track_teams ? span : std::max(employees, 1);
  for (int team = 0, first = 0; first < employees; ++team, first += stride) {
    const int end = std::min(first + stride, employees);
    double team_output = 0.0;
    // March's output is the share of dimensions acted on correctly: its team sum is an
    // integer count scaled once, which keeps a chain of floating-point additions out of
    // the loop.
    int team_right = 0;
    int team_producers = 0;
    for (int i = first; i < end; ++i) {
      const int offset = i * words;
      int wrong = 0;
      int deviations = 0;
      for (int w = 0; w < words; ++w) {
        const Word unknown = ~known[offset + w] & valid[w];
        // Act on the belief; a fair coin where the belief is 0. One word of coins per word
        // of dimensions, drawn whether needed or not: cheaper than a branch that fails to
        // predict whenever beliefs are still being learnt.
        const Word coins = coin_stream.next64() & unknown;
        const Word action = positive[offset + w] | coins;
        action_positive[offset + w] = action;
        wrong += std::popcount((action ^ truth[w]) & valid[w]);
        if constexpr (kFullModel) {
          deviations += std::popcount(code_known[w] & (action ^ code_positive[w]));
        }
      }
      performance[i] = dimensions - 2 * wrong;
      double y = (dimensions - wrong) * per_dimension;
      if constexpr (kFullModel) {
        if (role[i] == Role::explorer) {
          output[i] = 0.0;
          continue;
        }
        // y_i = (1 - e_i) ((P_i/m + 1)/2 - gamma D_i): the share of dimensions acted on
        // correctly, less the friction of deviating from the code, net of experimenting.
        y = (1.0 - experiment_probability[i]) *
            (y - coordination_cost * deviations * per_dimension);
      }
      output[i] = y;
      if constexpr (kFullModel) {
        team_output += y;
      } else {
        team_right += dimensions - wrong;
      }
      ++team_producers;
    }
    if constexpr (!kFullModel) team_output = team_right * per_dimension;
    total += team_output;
    if (track_teams) {
      team_output_[static_cast<std::size_t>(team)] = team_output;
      team_producers_[static_cast<std::size_t>(team)] = team_producers;
    }
  }
  streams_.act = coin_stream;
  total_output_ = total;
}

void Firm::probe(int employee, const Reality& reality) {
  auto& stream = streams_.experiment;
  const int j = static_cast<int>(stream.below(static_cast<std::uint64_t>(dimensions_)));
  const auto w = static_cast<std::size_t>(employee * words_ + j / 64);
  const Word bit = Word{1} << (j % 64);
  const bool truth_positive = (reality.positive()[j / 64] & bit) != 0;
  const bool sees_truth = stream.uniform() < params_.firm.experiment_accuracy;
  employees_.known()[w] |= bit;
  if (truth_positive == sees_truth) {
    employees_.positive()[w] |= bit;
  } else {
    employees_.positive()[w] &= ~bit;
  }
}

void Firm::experiment(const Reality& reality) {
  const bool producers_experiment = params_.firm.experiment_rate > 0.0;
  if (!producers_experiment && (explorers_ == 0 || params_.firm.explore_probes == 0)) return;
  for (int i = 0; i < headcount(); ++i) {
    if (employees_.role()[index(i)] == Role::explorer) {
      for (int k = 0; k < params_.firm.explore_probes; ++k) probe(i, reality);
    } else if (producers_experiment) {
      const double probability = employees_.experiment_probability()[index(i)];
      if (probability > 0.0 && streams_.experiment.uniform() < probability) probe(i, reality);
    }
  }
}

void Firm::socialise() {
  if (rates_stale_) refresh_employee_rates();
  if (socialisation_envelope_ < 0) return;
  // Up to 64 dimensions (March's 30 among them) take a loop compiled for one word, which
  // keeps the code's words in registers.
  if (words_ == 1) {
    socialise_cells<1>();
  } else {
    socialise_cells<0>();
  }
}

template <int kWords>
void Firm::socialise_cells() {
  // Each cell where the code is non-zero and the belief differs from it moves one step
  // towards the code with its employee's probability p_i. The cells are visited in order
  // (employee, dimension) and only the candidates among them are touched: the gaps between
  // candidates are geometric at the firm's envelope (a level at or above every p_i), and a
  // candidate moves with probability p_i / envelope, so each cell moves with probability
  // p_i, independently.
  GeometricGaps& gaps = socialisation_levels_[index(socialisation_envelope_)].second;
  // A local copy of the stream: its state could alias the belief planes as far as the
  // compiler knows, and would be reloaded from memory after every store to them.
  RandomStream stream = streams_.socialise;
  const int employees = headcount();
  const int words = kWords > 0 ? kWords : words_;
  const Word* code_known = code_known_.data();
  const Word* code_positive = code_positive_.data();
  const std::uint64_t* acceptance_of = employees_.socialisation_acceptance().data();
  Word* known_plane = employees_.known().data();
  Word* positive_plane = employees_.positive().data();
  std::uint64_t gap = gaps.next(stream);  // differing cells to pass before the next candidate
  for (int i = 0; i < employees; ++i) {
    const std::uint64_t acceptance = acceptance_of[i];
    for (int w = 0; w < words; ++w) {
      const auto at = static_cast<std::size_t>(i * words + w);
      const Word known = known_plane[at];
      const Word positive = positive_plane[at];
      const Word differs = code_known[w] & (~known | (positive ^ code_positive[w]));
      const auto count = static_cast<std::uint64_t>(std::popcount(differs));
      if (gap >= count) {
        gap -= count;
        continue;
      }
      // The candidates are the differing cells numbered gap, gap + 1 + next gap, ... in
      // this word; each is found from its number alone, so finding one does not wait for
      // the previous one.
      Word moves = 0;
      std::uint64_t number = gap;
      do {
        const int bit = nth_set_bit(differs, static_cast<int>(number));
        // Accepted with probability p_i / envelope, without a branch that would fail to
        // predict: a firm with mixed autonomy rejects a good share of its candidates.
        const Word accepted =
            acceptance == RandomStream::kAlways ? Word{1} : Word{stream.next64() < acceptance};
        moves |= accepted << bit;
        number += 1 + gaps.next(stream);
      } while (number < count);
      gap = number - count;
      // One step towards the code: a 0 becomes the code's value, an opposite belief 0.
      known_plane[at] = known ^ moves;
      positive_plane[at] = (positive & ~moves) | (code_positive[w] & moves & ~known);
    }
  }
  streams_.socialise = stream;
}

void Firm::learn_from_peers() {
  peer_adoptions_ = 0;
  if (!peer_learning_) return;
  if (rates_stale_) refresh_employee_rates();
  // A firm whose employees all follow orders leads nobody by example: nothing to weigh.
  if (!anyone_autonomous_) return;
  network_.weigh(employees_.performance(), employees_.autonomy());
  // Nobody has a better peer with autonomy: no vote is non-zero, no candidate, no draw.
  if (!network_.anyone_led()) return;
  const Word* actions = employees_.action_positive().data();
  if (vote_method_ == VoteMethod::eigen) {
    network_.votes_eigen(actions, words_, dimensions_);
  } else {
    network_.votes_bitplane(actions, words_, dimensions_);
  }
  const double p5 = params_.firm.peer_learning;
  const double* votes = network_.votes();
  const std::span<const double> total_weight = network_.total_weight();
  Word* known_plane = employees_.known().data();
  Word* positive_plane = employees_.positive().data();
  RandomStream stream = streams_.peer;  // local: see socialise_cells()
  int adoptions = 0;
  const int employees = headcount();
  for (int i = 0; i < employees; ++i) {
    const double weight = total_weight[index(i)];
    if (!(weight > 0.0)) continue;
    const double* row = votes + index(i) * index(network_.votes_stride());
    for (int w = 0; w < words_; ++w) {
      const int first = 64 * w;
      const int bits = valid_bits_[index(w)];
      Word plus = 0;
      Word minus = 0;
      for (int b = 0; b < bits; ++b) {
        plus |= Word{row[first + b] > 0.0} << b;
        minus |= Word{row[first + b] < 0.0} << b;
      }
      const auto at = index(i * words_ + w);
      const Word known = known_plane[at];
      const Word positive = positive_plane[at];
      // Candidates: a positive vote where the belief is not +1, a negative one where it is
      // not -1; visited in increasing dimension.
      Word moves = 0;
      for (Word candidates = (plus & ~positive) | (minus & ~(known & ~positive)); candidates != 0;
           candidates &= candidates - 1) {
        const int b = std::countr_zero(candidates);
        const double probability = p5 * std::abs(row[first + b]) / weight;
        if (stream.uniform() < probability) moves |= Word{1} << b;
      }
      if (moves == 0) continue;
      adoptions += std::popcount(moves);
      // One step towards the example: a 0 becomes its sign, an opposite belief 0.
      known_plane[at] = known ^ moves;
      positive_plane[at] = (positive & ~moves) | (plus & moves & ~known);
    }
  }
  streams_.peer = stream;
  peer_adoptions_ = adoptions;
}

void Firm::learn_code() {
  superior_.clear();
  const std::span<const int> performance = employees_.performance();
  for (int i = 0; i < headcount(); ++i) {
    if (performance[index(i)] > code_score_at_start_) superior_.push_back(i);
  }
  const int superior = static_cast<int>(superior_.size());
  if (superior == 0) return;
  votes_.clear();
  const Word* actions = employees_.action_positive().data();
  const int* group = superior_.data();
  const int words = words_;
  votes_.add_many(superior, [actions, group, words](int k, int w) {
    return actions[static_cast<std::size_t>(group[k] * words + w)];
  });
  // A dimension has a positive majority when its +1 votes exceed half the group, a tie when
  // they are exactly half (even groups only).
  const int half = superior / 2;
  const bool even = superior % 2 == 0;
  for (int w = 0; w < words_; ++w) {
    Word above = 0;
    Word equal = 0;
    votes_.compare(w, half, above, equal);
    const Word tied = even ? equal : 0;
    const Word positive_majority = above;
    const auto word = static_cast<std::size_t>(w);
    // Dimensions with a majority that the code does not already hold.
    Word candidates =
        ~tied & valid_[word] & (~code_known_[word] | (code_positive_[word] ^ positive_majority));
    for (; candidates != 0; candidates &= candidates - 1) {
      const int bit = std::countr_zero(candidates);
      const int plus = votes_.count(w * 64 + bit);
      const int margin = std::abs(2 * plus - superior);
      if (streams_.code_learning.uniform() < adoption_probability_[index(margin)]) {
        const Word mask = Word{1} << bit;
        code_known_[word] |= mask;
        code_positive_[word] = (code_positive_[word] & ~mask) | (positive_majority & mask);
      }
    }
  }
}

void Firm::manage(int period) {
  if (params_.manager.policy == ManagerPolicy::fixed) return;
  record_team_output();
  for (auto& manager : managers_) {
    if (manager.end_period(period)) rates_stale_ = true;
  }
}

void Firm::record_team_output() {
  // The managers' KPI: each team's summed output this period and its producers (act()).
  for (std::size_t t = 0; t < managers_.size(); ++t) {
    managers_[t].record(team_output_[t], team_producers_[t]);
  }
}

double Firm::knowledge(int employee, const Reality& reality) const {
  return static_cast<double>(correct_count(beliefs(employee), reality.positive(), words_)) /
         dimensions_;
}

void Firm::staff(const Reality& reality, bool by_knowledge) {
  // Target explorers: x_f times headcount, rounded half up.
  const int employees = headcount();
  int target = static_cast<int>(std::floor(leader_.explore_share() * employees + 0.5));
  // A floor on the share is a leader who never stops looking ahead: at least one explorer.
  if (params_.leader.min_share > 0.0) target = std::max(target, 1);
  if (target == explorers_) return;
  const std::span<const Role> role = employees_.role();
  const std::span<const double> output = employees_.output();
  std::vector<int> candidates;
  const Role from = target > explorers_ ? Role::producer : Role::explorer;
  for (int i = 0; i < employees; ++i) {
    if (role[index(i)] == from) candidates.push_back(i);
  }
  if (from == Role::producer) {
    // The lowest-output producers go to exploration first (at the start, with no output
    // yet, the least knowledgeable).
    std::vector<double> key(index(employees));
    for (int i : candidates) {
      key[index(i)] = by_knowledge ? knowledge(i, reality) : output[index(i)];
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&key](int a, int b) { return key[index(a)] < key[index(b)]; });
  } else {
    // The explorers with the highest knowledge come back first.
    std::vector<double> key(index(employees));
    for (int i : candidates) key[index(i)] = knowledge(i, reality);
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&key](int a, int b) { return key[index(a)] > key[index(b)]; });
  }
  const int moves = std::abs(target - explorers_);
  for (int k = 0; k < moves && k < static_cast<int>(candidates.size()); ++k) {
    set_role(candidates[index(k)], from == Role::producer ? Role::explorer : Role::producer);
  }
}

void Firm::set_role(int employee, Role role) {
  Role& current = employees_.role()[index(employee)];
  if (current == role) return;
  explorers_ += role == Role::explorer ? 1 : -1;
  current = role;
  rates_stale_ = true;
}

void Firm::lead(int period, const Reality& reality, double best_rival_innovation,
                double chosen_share) {
  charge_exploration_cost();
  if (!leader_cycle_ends(period)) return;
  leader_.decide(innovation(reality), total_output_, best_rival_innovation, chosen_share);
  staff(reality, /*by_knowledge=*/false);
}

void Firm::charge_exploration_cost() {
  // The output the explorers did not produce this period: as many as there are, at this
  // period's mean producer output (act()).
  const int producers = headcount() - explorers_;
  leader_.record(explorers_, producers > 0 ? total_output_ / producers : 0.0);
}

void Firm::hire_new_producer() {
  hire(employees_.append());
  // The new place's ties: its block's, and cross ties drawn now.
  if (peer_learning_) network_.add_position(streams_.network);
  fit_teams();
  fit_counters();
}

void Firm::remove(int employee) {
  // The last position's employee fills the freed place: teams are fixed by position.
  if (employees_.role()[index(employee)] == Role::explorer) --explorers_;
  employees_.move_row(headcount() - 1, employee);
  employees_.pop_back();
  if (peer_learning_) network_.remove_last_position();
  fit_teams();
  fit_counters();
}

void Firm::adjust_headcount(double share, int industry_headcount, const MarketParams& market,
                            const Reality& reality) {
  if (market.resource_feedback <= 0.0) return;
  resource_accumulator_ += market.resource_feedback * (share * industry_headcount - headcount());
  while (resource_accumulator_ >= 1.0) {
    hire_new_producer();
    resource_accumulator_ -= 1.0;
  }
  // Lay-offs: first how many producers and explorers leave, one lay-off at a time as the
  // accumulator allows; then who, all at once.
  int employees = headcount();
  int explorers = explorers_;
  int producers_leaving = 0;
  int explorers_leaving = 0;
  while (resource_accumulator_ <= -1.0) {
    if (employees <= market.min_headcount) {
      // At the floor a firm carries at most one lay-off of debt.
      resource_accumulator_ = -1.0;
      break;
    }
    // Producers and explorers leave in proportion to their numbers: an explorer goes when
    // keeping the explorer share needs one fewer of them.
    const int keep_explorers = static_cast<int>(
        std::floor(static_cast<double>(explorers) * (employees - 1) / employees + 0.5));
    if (keep_explorers < explorers) {
      --explorers;
      ++explorers_leaving;
      --employees;
    } else if (producers_leaving < headcount() - explorers_) {  // else no producer is left
      ++producers_leaving;
      --employees;
    }
    resource_accumulator_ += 1.0;
  }
  if (producers_leaving + explorers_leaving == 0) return;
  lay_off(producers_leaving, explorers_leaving, reality);
}

void Firm::lay_off(int producers, int explorers, const Reality& reality) {
  // The lowest-output producers and the least knowledgeable explorers, ties going to the
  // lower position. One selection per role instead of one pass over the firm per lay-off:
  // a large firm losing share lays off dozens of employees a period.
  std::vector<int>& leaving = layoff_scratch_;
  leaving.clear();
  auto choose = [&](Role role, int count, auto key_of) {
    if (count == 0) return;
    // A max-heap of the `count` smallest (key, position) pairs seen so far: most
    // employees fail the one comparison with its top, a branch that predicts well, where
    // a full selection over the firm mispredicts at every step.
    auto& kept = ranking_scratch_;
    kept.clear();
    const auto wanted = static_cast<std::size_t>(count);
    const std::span<const Role> roles = employees_.role();
    for (int i = 0; i < headcount(); ++i) {
      if (roles[index(i)] != role) continue;
      const std::pair<double, int> entry(key_of(i), i);
      if (kept.size() < wanted) {
        kept.push_back(entry);
        std::push_heap(kept.begin(), kept.end());
      } else if (entry < kept.front()) {
        std::pop_heap(kept.begin(), kept.end());
        kept.back() = entry;
        std::push_heap(kept.begin(), kept.end());
      }
    }
    for (const auto& entry : kept) leaving.push_back(entry.second);
  };
  const std::span<const double> output = employees_.output();
  choose(Role::producer, producers, [output](int i) { return output[index(i)]; });
  choose(Role::explorer, explorers, [this, &reality](int i) {
    return static_cast<double>(correct_count(beliefs(i), reality.positive(), words_));
  });
  // From the highest position down, so that the employee moved into a freed place (the
  // last) is never one still to leave.
  std::sort(leaving.begin(), leaving.end(), std::greater<>());
  for (int employee : leaving) remove(employee);
}

void Firm::review_board(int period, bool ranked_last, const Reality& reality) {
  if (period % params_.leader.cycle != 0) return;
  if (!board_.review(ranked_last)) return;
  // Uniform in [min_share, max_share]; with min_share 0 exactly U * max_share as before.
  const double low = params_.leader.min_share;
  leader_.replace(low + streams_.board.uniform() * (params_.leader.max_share - low),
                  innovation(reality));
  staff(reality, /*by_knowledge=*/false);
}

bool Firm::settled(const Reality& reality) const {
  const int code_score = score(code(), reality.positive(), words_);
  for (int i = 0; i < headcount(); ++i) {
    const BeliefView belief = beliefs(i);
    if (score(belief, reality.positive(), words_) + unknown_count(belief, dimensions_) >
        code_score) {
      return false;
    }
    for (int w = 0; w < words_; ++w) {
      const Word differs =
          code_known_[static_cast<std::size_t>(w)] &
          (~belief.known[w] | (belief.positive[w] ^ code_positive_[static_cast<std::size_t>(w)]));
      if (differs != 0) return false;
    }
  }
  return true;
}

double Firm::innovation(const Reality& reality) const {
  return static_cast<double>(correct_count(code(), reality.positive(), words_)) / dimensions_;
}

template <int kWords>
long Firm::count_beliefs(const Word* truth) const {
  const int words = kWords > 0 ? kWords : words_;
  const int employees = headcount();
  const Word* known = employees_.known().data();
  const Word* positive = employees_.positive().data();
  long correct = 0;
  for (int i = 0; i < employees; ++i) {
    const auto at = static_cast<std::size_t>(i * words);
    correct += correct_count(BeliefView{known + at, positive + at}, truth, words);
  }
  positive_beliefs_.clear();
  negative_beliefs_.clear();
  positive_beliefs_.add_many(employees, [positive, words](int i, int w) {
    return positive[static_cast<std::size_t>(i * words + w)];
  });
  negative_beliefs_.add_many(employees, [known, positive, words](int i, int w) {
    const auto at = static_cast<std::size_t>(i * words + w);
    return known[at] & ~positive[at];
  });
  return correct;
}

void Firm::observe(const Reality& reality, Observation& observation) const {
  const Word* truth = reality.positive();
  const double m = dimensions_;
  const int employees = headcount();
  const double n = employees;
  observation[Quantity::innovation] = innovation(reality);
  observation[Quantity::code_score] = score(code(), truth, words_) / m;

  const long correct = words_ == 1 ? count_beliefs<1>(truth) : count_beliefs<0>(truth);
  // Four partial sums: one chain of floating-point additions would cost its latency per
  // employee.
  std::array<double, 4> autonomy_sums = {0.0, 0.0, 0.0, 0.0};
  const double* autonomy = employees_.autonomy().data();
  int next = 0;
  for (; next + 4 <= employees; next += 4) {
    for (int k = 0; k < 4; ++k) autonomy_sums[index(k)] += autonomy[next + k];
  }
  for (; next < employees; ++next) autonomy_sums[0] += autonomy[next];
  const double autonomy_sum =
      (autonomy_sums[0] + autonomy_sums[1]) + (autonomy_sums[2] + autonomy_sums[3]);
  // Mean pressure over producers: each team's pressure weighted by its producers.
  double pressure_sum = 0.0;
  const int span = params_.firm.span_of_control;
  const Role* role = employees_.role().data();
  for (int team = 0, first = 0; first < employees; ++team, first += span) {
    const int end = std::min(first + span, employees);
    int producers = end - first;
    if (explorers_ > 0) {
      for (int i = first; i < end; ++i) producers -= role[i] == Role::explorer;
    }
    pressure_sum += producers * managers_[static_cast<std::size_t>(team)].pressure();
  }
  // On each dimension the minority view's cells oppose the majority; a tie has no majority.
  const long opposing =
      VerticalCounter::sum_of_smaller_unless_tied(positive_beliefs_, negative_beliefs_);
  const int producers = employees - explorers_;
  observation[Quantity::mean_knowledge] = static_cast<double>(correct) / (n * m);
  observation[Quantity::output] = total_output_;
  observation[Quantity::output_per_head] = total_output_ / n;
  observation[Quantity::explore_share] = explorers_ / n;
  observation[Quantity::mean_pressure] = producers > 0 ? pressure_sum / producers : std::nan("");
  observation[Quantity::mean_autonomy] = autonomy_sum / n;
  observation[Quantity::diversity] = static_cast<double>(opposing) / (n * m);
  observation[Quantity::headcount] = n;
  observation[Quantity::leader_changes] = board_.replacements();
  observation[Quantity::peer_adoptions] = peer_adoptions_ / n;
}

void Firm::set_state(const std::vector<std::vector<int>>& beliefs, const std::vector<int>& code) {
  auto encode = [this](const std::vector<int>& values, Word* known, Word* positive) {
    for (int w = 0; w < words_; ++w) known[w] = positive[w] = 0;
    for (int j = 0; j < dimensions_; ++j) {
      const Word bit = Word{1} << (j % 64);
      if (values.at(static_cast<std::size_t>(j)) != 0) known[j / 64] |= bit;
      if (values.at(static_cast<std::size_t>(j)) > 0) positive[j / 64] |= bit;
    }
  };
  for (int i = 0; i < headcount(); ++i) {
    const auto offset = static_cast<std::size_t>(i * words_);
    encode(beliefs.at(index(i)), employees_.known().data() + offset,
           employees_.positive().data() + offset);
  }
  encode(code, code_known_.data(), code_positive_.data());
}

}  // namespace orgsim::model
