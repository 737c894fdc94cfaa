# A man page from a program's own --help: the page is the help text, so the two never disagree.
#   cmake -DPROG=path/to/cdrsim-mock -DNAME=cdrsim-mock -DSUMMARY="one line" -DVERSION=0.2.0
#         "-DHELPS=--help|run --help" -DOUT=cdrsim-mock.1 -P help2man.cmake
# HELPS: the argument lists whose output makes the page, '|' between them; the first is the
# page's description, each further one a section named after its arguments. PER_VENDOR (optional,
# e.g. "fetch @V --help"): one more section per vendor the first help lists (help_texts.cmake).
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/help_texts.cmake)
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
if(NOT DEFINED PER_VENDOR)
  set(PER_VENDOR "")
endif()
help_list(helps "${PROG}" "${HELPS}" "${PER_VENDOR}")
set(first TRUE)
foreach(help IN LISTS helps)
  help_text(text "${PROG}" "${help}")
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
