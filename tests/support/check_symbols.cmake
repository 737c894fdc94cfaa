# Symbol hygiene of libcdrsim: every global symbol the archive defines is named cdr_* or CDR_*
# (nm -g --defined-only), and every internal cdr__* one is hidden (readelf), so nothing but the
# API can clash with a user's own names or be linked against from a shared build. For the shared
# library (LIB ending in .so...): every exported symbol (nm -D) is cdr_*/CDR_* and none is cdr__*,
# while its symbol table still holds the cdr__ internals, as local ones.
# cmake -DLIB=libcdrsim.a|libcdrsim.so -DNM=nm -DREADELF=readelf -P check_symbols.cmake
foreach(tool LIB NM READELF)
  if(NOT ${tool})
    message(FATAL_ERROR "check_symbols.cmake needs -D${tool}=...")
  endif()
endforeach()

# The lines a command prints (it must succeed).
function(lines_of out)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN} failed: ${err}")
  endif()
  string(REPLACE "\n" ";" lines "${text}")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

# Fails with why and the names, when there are any.
function(fail_naming why)
  if(ARGN)
    list(REMOVE_DUPLICATES ARGN)
    list(JOIN ARGN ", " names)
    message(FATAL_ERROR "${why}: ${names}")
  endif()
endfunction()

if(LIB MATCHES "[.]so([.][0-9]+)*$")
  set(shared TRUE)
  lines_of(nm_lines ${NM} -D --defined-only ${LIB})
else()
  set(shared FALSE)
  lines_of(nm_lines ${NM} -g --defined-only ${LIB})
endif()
set(count 0)
set(foreign "")
foreach(line IN LISTS nm_lines)
  # "0000000000000000 T cdr_error_name"; member headers ("error.c.o:") and blanks are not symbols.
  if(line MATCHES "^[0-9a-fA-F]* *[A-Za-z] (.+)$")
    set(name "${CMAKE_MATCH_1}")
    # AddressSanitizer adds a hidden "__odr_asan.<global>" beside each global variable: judge the
    # variable's own name.
    string(REGEX REPLACE "^__odr_asan[.]" "" name "${name}")
    math(EXPR count "${count} + 1")
    if(NOT name MATCHES "^(cdr_|CDR_)" OR (shared AND name MATCHES "^cdr__"))
      list(APPEND foreign "${name}")
    endif()
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no global symbol found in ${LIB}: is it the library?")
endif()
fail_naming("libcdrsim exports names outside cdr_/CDR_" ${foreign})

if(shared)
  # "Num: Value Size Type Bind Vis Ndx Name" of the full symbol table: the internals are there, and
  # local (nm -D above showed none of them exported).
  lines_of(elf_lines ${READELF} -sW ${LIB})
  set(internal 0)
  set(global_internal "")
  foreach(line IN LISTS elf_lines)
    if(line MATCHES " ([A-Z]+) +[A-Z]+ +[A-Z0-9]+ +(cdr__[A-Za-z0-9_]+)$")
      math(EXPR internal "${internal} + 1")
      if(NOT CMAKE_MATCH_1 STREQUAL "LOCAL")
        list(APPEND global_internal "${CMAKE_MATCH_2}")
      endif()
    endif()
  endforeach()
  if(internal EQUAL 0)
    message(FATAL_ERROR "no internal cdr__ symbol found in ${LIB}: is it stripped?")
  endif()
  fail_naming("internal symbols not local in the shared library" ${global_internal})
  message(STATUS "${count} exported symbols, all cdr_/CDR_; ${internal} internal ones, all local")
  return()
endif()

# "Num: Value Size Type Bind Vis Ndx Name": a defined GLOBAL cdr__ symbol must be HIDDEN.
lines_of(elf_lines ${READELF} -sW ${LIB})
set(visible "")
set(internal 0)
foreach(line IN LISTS elf_lines)
  if(line MATCHES "GLOBAL +([A-Z]+) +([A-Z0-9]+) +(cdr__[A-Za-z0-9_]+)$")
    if(NOT CMAKE_MATCH_2 STREQUAL "UND")
      math(EXPR internal "${internal} + 1")
      if(NOT CMAKE_MATCH_1 STREQUAL "HIDDEN")
        list(APPEND visible "${CMAKE_MATCH_3}")
      endif()
    endif()
  endif()
endforeach()
if(internal EQUAL 0)
  message(FATAL_ERROR "no internal cdr__ symbol found in ${LIB}: is readelf's output readable?")
endif()
fail_naming("internal symbols without CDR_INTERNAL (not hidden)" ${visible})
message(STATUS "${count} global symbols, all cdr_/CDR_; ${internal} internal ones, all hidden")
