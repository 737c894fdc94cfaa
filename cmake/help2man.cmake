# A man page from a program's own --help: the page is the help text, so the two never disagree.
#   cmake -DPROG=path/to/cdrsim-mock -DNAME=cdrsim-mock -DSUMMARY="one line" -DVERSION=0.2.0
#         "-DHELPS=--help|run --help" -DOUT=cdrsim-mock.1 -P help2man.cmake
# HELPS: the argument lists whose output makes the page, '|' between them; the first is the
# page's description, each further one a section named after its arguments. PER_VENDOR (optional,
# e.g. "fetch @V --help"): one more section per vendor the first help lists as "<vendor>: ..."
# after a blank line,
# @V replaced by the vendor.
cmake_minimum_required(VERSION 3.25)
foreach(var PROG NAME SUMMARY VERSION HELPS OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "help2man.cmake needs -D${var}=...")
  endif()
endforeach()

# Text as roff: backslashes escaped, and no line may start with a control character.
function(roff_escape out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(TOUPPER "${NAME}" title)
set(page ".TH ${title} 1 \"\" \"cdrsim ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\n${NAME} \\- ${SUMMARY}\n")
string(REPLACE "|" ";" helps "${HELPS}")
list(GET helps 0 first_help)
separate_arguments(args UNIX_COMMAND "${first_help}")
execute_process(COMMAND ${PROG} ${args} OUTPUT_VARIABLE first_text ERROR_QUIET)
if(DEFINED PER_VENDOR)
  string(REGEX MATCHALL "\n\n[a-z0-9]+: " vendor_lines "${first_text}")
  foreach(line IN LISTS vendor_lines)
    string(REGEX REPLACE "[\n: ]" "" vendor "${line}")
    string(REPLACE "@V" "${vendor}" help "${PER_VENDOR}")
    list(APPEND helps "${help}")
  endforeach()
endif()
set(first TRUE)
foreach(help IN LISTS helps)
  separate_arguments(args UNIX_COMMAND "${help}")
  execute_process(COMMAND ${PROG} ${args} OUTPUT_VARIABLE text ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR text STREQUAL "")
    message(FATAL_ERROR "${NAME} ${help} failed (${rc}): ${err}")
  endif()
  roff_escape(text "${text}")
  if(first)
    string(APPEND page ".SH DESCRIPTION\n")
    set(first FALSE)
  else()
    string(TOUPPER "${NAME} ${help}" heading)
    string(REGEX REPLACE " *--HELP$" "" heading "${heading}")
    string(APPEND page ".SH \"${heading}\"\n")
  endif()
  string(APPEND page ".nf\n${text}.fi\n")
endforeach()
string(APPEND page ".SH COPYRIGHT\nCopyright (c) 2026 the cdrsim authors. MIT licence.\n")
file(WRITE "${OUT}" "${page}")
