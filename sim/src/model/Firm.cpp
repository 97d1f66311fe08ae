#include "orgsim/model/Firm.h"

#include <algorithm>
#include <cmath>

#include "orgsim/model/Streams.h"

namespace orgsim::model {

FirmStreams make_firm_streams(std::uint64_t seed, std::uint64_t replication, std::uint64_t key) {
  return FirmStreams{
      make_stream(seed, replication, key, StreamPurpose::hire),
      make_stream(seed, replication, key, StreamPurpose::turnover),
      make_stream(seed, replication, key, StreamPurpose::act),
      make_stream(seed, replication, key, StreamPurpose::socialise),
      make_stream(seed, replication, key, StreamPurpose::code_learning),
  };
}

Firm::Firm(std::string name, const ModelParams& params, FirmStreams streams)
    : name_(std::move(name)),
      dimensions_(params.env.dimensions),
      words_(words_for(params.env.dimensions)),
      employees_(params.firm.employees),
      params_(params.firm),
      manager_(params.manager),
      streams_(std::move(streams)),
      known_(static_cast<std::size_t>(employees_ * words_), 0),
      positive_(static_cast<std::size_t>(employees_ * words_), 0),
      autonomy_(static_cast<std::size_t>(employees_), 0.0),
      socialisation_threshold_(static_cast<std::size_t>(employees_), 0),
      code_known_(static_cast<std::size_t>(words_), 0),
      code_positive_(static_cast<std::size_t>(words_), 0),
      action_positive_(static_cast<std::size_t>(employees_ * words_), 0),
      performance_(static_cast<std::size_t>(employees_), 0),
      adoption_probability_(static_cast<std::size_t>(employees_ + 1), 0.0),
      turnover_threshold_(probability_threshold(params.firm.turnover)),
      votes_(words_, employees_),
      positive_beliefs_(words_, employees_),
      negative_beliefs_(words_, employees_) {
  for (int w = 0; w < words_; ++w) {
    valid_.push_back(valid_mask(dimensions_, w));
    valid_bits_.push_back(std::popcount(valid_.back()));
  }
  for (int k = 0; k <= employees_; ++k) {
    adoption_probability_[static_cast<std::size_t>(k)] =
        1.0 - std::pow(1.0 - params_.code_learning, k);
  }
  for (int i = 0; i < employees_; ++i) hire(i);
}

void Firm::hire(int employee) {
  auto& stream = streams_.hire;
  const auto offset = static_cast<std::size_t>(employee * words_);
  for (int w = 0; w < words_; ++w) {
    known_[offset + static_cast<std::size_t>(w)] = 0;
    positive_[offset + static_cast<std::size_t>(w)] = 0;
  }
  // Each belief is -1, 0 or +1 with probability 1/3: two random bits, redrawn when they
  // make 3.
  for (int j = 0; j < dimensions_; ++j) {
    std::uint64_t value = stream.bits(2);  // 0 -> -1, 1 -> 0, 2 -> +1
    while (value == 3) value = stream.bits(2);
    const Word bit = Word{1} << (j % 64);
    const auto w = offset + static_cast<std::size_t>(j / 64);
    if (value != 1) known_[w] |= bit;
    if (value == 2) positive_[w] |= bit;
  }
  double& autonomy = autonomy_[static_cast<std::size_t>(employee)];
  const auto& dist = params_.autonomy;
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
  update_socialisation_threshold(employee);
}

void Firm::update_socialisation_threshold(int employee) {
  const double a = autonomy_[static_cast<std::size_t>(employee)];
  const double probability =
      std::min(1.0, params_.socialization * (1.0 - a) * (0.5 + manager_.pressure));
  socialisation_threshold_[static_cast<std::size_t>(employee)] = probability_threshold(probability);
}

void Firm::turnover() {
  if (turnover_threshold_ == 0) return;
  for (int i = 0; i < employees_; ++i) {
    if (streams_.turnover.bernoulli_mask(turnover_threshold_, 1) != 0) hire(i);
  }
}

void Firm::act(const Reality& reality) {
  const Word* truth = reality.positive();
  code_score_at_start_ = score(code(), truth, words_);
  long correct_actions = 0;
  for (int i = 0; i < employees_; ++i) {
    const auto offset = static_cast<std::size_t>(i * words_);
    int wrong = 0;
    for (int w = 0; w < words_; ++w) {
      const auto index = offset + static_cast<std::size_t>(w);
      const Word valid = valid_[static_cast<std::size_t>(w)];
      const Word unknown = ~known_[index] & valid;
      // Act on the belief; a fair coin where the belief is 0.
      const Word coins =
          unknown != 0 ? streams_.act.bits(valid_bits_[static_cast<std::size_t>(w)]) & unknown : 0;
      const Word action = positive_[index] | coins;
      action_positive_[index] = action;
      wrong += std::popcount((action ^ truth[w]) & valid);
    }
    performance_[static_cast<std::size_t>(i)] = dimensions_ - 2 * wrong;
    correct_actions += dimensions_ - wrong;
  }
  // y_i = (P_i/m + 1)/2 is the share of dimensions employee i acted on correctly; Y_f sums it.
  output_ = static_cast<double>(correct_actions) / dimensions_;
}

void Firm::socialise() {
  for (int i = 0; i < employees_; ++i) {
    const std::uint64_t threshold = socialisation_threshold_[static_cast<std::size_t>(i)];
    if (threshold == 0) continue;
    const auto offset = static_cast<std::size_t>(i * words_);
    for (int w = 0; w < words_; ++w) {
      const auto index = offset + static_cast<std::size_t>(w);
      const Word known = known_[index];
      // Dimensions where the code is non-zero and the belief differs from it.
      const Word differs =
          code_known_[static_cast<std::size_t>(w)] &
          (~known | (positive_[index] ^ code_positive_[static_cast<std::size_t>(w)]));
      if (differs == 0) continue;
      const Word moves = streams_.socialise.bernoulli_mask(threshold, differs);
      // One step towards the code: a 0 becomes the code's value, an opposite belief 0.
      known_[index] = known ^ moves;
      positive_[index] = (positive_[index] & ~moves) |
                         (code_positive_[static_cast<std::size_t>(w)] & moves & ~known);
    }
  }
}

void Firm::learn_code() {
  superior_.clear();
  for (int i = 0; i < employees_; ++i) {
    if (performance_[static_cast<std::size_t>(i)] > code_score_at_start_) superior_.push_back(i);
  }
  const int superior = static_cast<int>(superior_.size());
  votes_.clear();
  votes_.add_many(superior, [this](int k, int w) {
    return action_positive_[static_cast<std::size_t>(
        superior_[static_cast<std::size_t>(k)] * words_ + w)];
  });
  if (superior == 0) return;
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
      if (streams_.code_learning.uniform() <
          adoption_probability_[static_cast<std::size_t>(margin)]) {
        const Word mask = Word{1} << bit;
        code_known_[word] |= mask;
        code_positive_[word] = (code_positive_[word] & ~mask) | (positive_majority & mask);
      }
    }
  }
}

bool Firm::settled(const Reality& reality) const {
  const int code_score = score(code(), reality.positive(), words_);
  for (int i = 0; i < employees_; ++i) {
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

void Firm::observe(const Reality& reality, Observation& observation) const {
  const Word* truth = reality.positive();
  const double m = dimensions_;
  const double n = employees_;
  observation[Quantity::innovation] = innovation(reality);
  observation[Quantity::code_score] = score(code(), truth, words_) / m;

  long correct = 0;
  double autonomy_sum = 0.0;
  positive_beliefs_.clear();
  negative_beliefs_.clear();
  for (int i = 0; i < employees_; ++i) {
    correct += correct_count(beliefs(i), truth, words_);
    autonomy_sum += autonomy_[static_cast<std::size_t>(i)];
  }
  positive_beliefs_.add_many(employees_, [this](int i, int w) {
    return positive_[static_cast<std::size_t>(i * words_ + w)];
  });
  negative_beliefs_.add_many(employees_, [this](int i, int w) {
    const auto index = static_cast<std::size_t>(i * words_ + w);
    return known_[index] & ~positive_[index];
  });
  // On each dimension the minority view's cells oppose the majority; a tie has no majority.
  const long opposing =
      VerticalCounter::sum_of_smaller_unless_tied(positive_beliefs_, negative_beliefs_);
  observation[Quantity::mean_knowledge] = static_cast<double>(correct) / (n * m);
  observation[Quantity::output] = output_;
  observation[Quantity::output_per_head] = output_ / n;
  // This engine has no exploration role, manager policy beyond fixed, or board yet: every
  // employee produces under the fixed pressure and the first leader stays.
  observation[Quantity::explore_share] = 0.0;
  observation[Quantity::mean_pressure] = manager_.pressure;
  observation[Quantity::mean_autonomy] = autonomy_sum / n;
  observation[Quantity::diversity] = static_cast<double>(opposing) / (n * m);
  observation[Quantity::headcount] = n;
  observation[Quantity::leader_changes] = 0.0;
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
  for (int i = 0; i < employees_; ++i) {
    const auto offset = static_cast<std::size_t>(i * words_);
    encode(beliefs.at(static_cast<std::size_t>(i)), &known_[offset], &positive_[offset]);
  }
  encode(code, code_known_.data(), code_positive_.data());
}

}  // namespace orgsim::model
