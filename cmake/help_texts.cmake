# Reading a program's help texts, for the man pages (help2man.cmake) and the test that every
# option is in them (tests/support/check_help.cmake). include() it from a cmake -P script.

# The output of `prog <help>` (help: its arguments as one string) into out; a failure or an empty
# help stops the script.
function(help_text out prog help)
  separate_arguments(args UNIX_COMMAND "${help}")
  execute_process(COMMAND ${prog} ${args} OUTPUT_VARIABLE text ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR text STREQUAL "")
    message(FATAL_ERROR "'${prog} ${help}' exited ${rc} with no help on stdout: ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The help argument lists to read: `helps` ('|' between them), then, when per_vendor is not empty
# (e.g. "fetch @V --help"), one per vendor the first help lists as "<vendor>: ..." after a blank
# line, @V replaced by the vendor. out is a CMake list.
function(help_list out prog helps per_vendor)
  string(REPLACE "|" ";" list "${helps}")
  if(per_vendor)
    list(GET list 0 first)
    help_text(text "${prog}" "${first}")
    string(REGEX MATCHALL "\n\n[a-z0-9]+: " vendor_lines "${text}")
    foreach(line IN LISTS vendor_lines)
      string(REGEX REPLACE "[\n: ]" "" vendor "${line}")
      string(REPLACE "@V" "${vendor}" vendor_help "${per_vendor}")
      list(APPEND list "${vendor_help}")
    endforeach()
  endif()
  set(${out} "${list}" PARENT_SCOPE)
endfunction()
