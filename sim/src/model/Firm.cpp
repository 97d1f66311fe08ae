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
      votes_(words_, employees_) {
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
  // Each belief is -1, 0 or +1 with probability 1/3.
  for (int j = 0; j < dimensions_; ++j) {
    const std::uint64_t value = stream.below(3);  // 0 -> -1, 1 -> 0, 2 -> +1
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
      autonomy = stream.beta(dist.mean * dist.concentration,
                             (1.0 - dist.mean) * dist.concentration);
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
  socialisation_threshold_[static_cast<std::size_t>(employee)] =
      probability_threshold(probability);
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
  output_ = 0.0;
  for (int i = 0; i < employees_; ++i) {
    const auto offset = static_cast<std::size_t>(i * words_);
    int wrong = 0;
    for (int w = 0; w < words_; ++w) {
      const auto index = offset + static_cast<std::size_t>(w);
      const Word valid = valid_mask(dimensions_, w);
      const Word unknown = ~known_[index] & valid;
      // Act on the belief; a fair coin where the belief is 0.
      const Word coins = unknown != 0 ? streams_.act.next64() & unknown : 0;
      const Word action = positive_[index] | coins;
      action_positive_[index] = action;
      wrong += std::popcount((action ^ truth[w]) & valid);
    }
    performance_[static_cast<std::size_t>(i)] = dimensions_ - 2 * wrong;
    // y_i = (P_i/m + 1)/2: the share of dimensions acted on correctly.
    output_ += static_cast<double>(dimensions_ - wrong) / dimensions_;
  }
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
      positive_[index] =
          (positive_[index] & ~moves) | (code_positive_[static_cast<std::size_t>(w)] & moves & ~known);
    }
  }
}

void Firm::learn_code() {
  votes_.clear();
  int superior = 0;
  for (int i = 0; i < employees_; ++i) {
    if (performance_[static_cast<std::size_t>(i)] > code_score_at_start_) {
      votes_.add(&action_positive_[static_cast<std::size_t>(i * words_)]);
      ++superior;
    }
  }
  if (superior == 0) return;
  for (int j = 0; j < dimensions_; ++j) {
    const int plus = votes_.count(j);
    const int minus = superior - plus;
    if (plus == minus) continue;
    const bool majority_positive = plus > minus;
    const auto w = static_cast<std::size_t>(j / 64);
    const Word bit = Word{1} << (j % 64);
    const bool code_known = (code_known_[w] & bit) != 0;
    const bool code_positive = (code_positive_[w] & bit) != 0;
    if (code_known && code_positive == majority_positive) continue;
    const int margin = std::abs(plus - minus);
    if (streams_.code_learning.uniform() < adoption_probability_[static_cast<std::size_t>(margin)]) {
      code_known_[w] |= bit;
      if (majority_positive) {
        code_positive_[w] |= bit;
      } else {
        code_positive_[w] &= ~bit;
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
      const Word differs = code_known_[static_cast<std::size_t>(w)] &
                           (~belief.known[w] | (belief.positive[w] ^
                                                code_positive_[static_cast<std::size_t>(w)]));
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
  VerticalCounter plus(words_, employees_);
  VerticalCounter minus(words_, employees_);
  std::vector<Word> negative(static_cast<std::size_t>(words_));
  for (int i = 0; i < employees_; ++i) {
    const BeliefView belief = beliefs(i);
    correct += correct_count(belief, truth, words_);
    autonomy_sum += autonomy_[static_cast<std::size_t>(i)];
    plus.add(belief.positive);
    for (int w = 0; w < words_; ++w) {
      negative[static_cast<std::size_t>(w)] = belief.known[w] & ~belief.positive[w];
    }
    minus.add(negative.data());
  }
  long opposing = 0;
  for (int j = 0; j < dimensions_; ++j) {
    const int p = plus.count(j);
    const int q = minus.count(j);
    if (p != q) opposing += std::min(p, q);
  }
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
