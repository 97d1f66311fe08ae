#pragma once
// The orgsim subcommands. Each takes the arguments after its name and returns the
// process exit status; errors are thrown as orgsim::Error and reported by main().

#include <string>
#include <vector>

namespace orgsim::cli {

/// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;        ///< a run or a file failed
inline constexpr int kExitUsage = 2;          ///< bad arguments or scenario
inline constexpr int kExitInterrupted = 130;  ///< stopped by SIGINT or SIGTERM

int run_command(const std::vector<std::string>& args, const std::string& command_line);
int compare_command(const std::vector<std::string>& args, const std::string& command_line);
int sweep_command(const std::vector<std::string>& args, const std::string& command_line);
int trace_command(const std::vector<std::string>& args, const std::string& command_line);
int replay_command(const std::vector<std::string>& args);
int params_command(const std::vector<std::string>& args);
int info_command(const std::vector<std::string>& args);
int bench_command(const std::vector<std::string>& args);

}  // namespace orgsim::cli
