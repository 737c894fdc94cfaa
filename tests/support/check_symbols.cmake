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

# The defined cdr__ symbols of readelf -sW's table ("Num: Value Size Type Bind Vis Ndx Name"),
# those bound `binding` (any when empty): column `column` (1 Bind, 2 Vis) must be `want` for each.
# Fails naming the others (why), or when there is none (hint); sets `internal` to how many.
function(check_internal binding column want why hint)
  lines_of(elf_lines ${READELF} -sW ${LIB})
  set(count 0)
  set(wrong "")
  foreach(line IN LISTS elf_lines)
    if(line MATCHES " ([A-Z]+) +([A-Z]+) +([A-Z0-9]+) +(cdr__[A-Za-z0-9_]+)$"
       AND NOT CMAKE_MATCH_3 STREQUAL "UND" AND (NOT binding OR CMAKE_MATCH_1 STREQUAL binding))
      math(EXPR count "${count} + 1")
      if(NOT CMAKE_MATCH_${column} STREQUAL want)
        list(APPEND wrong "${CMAKE_MATCH_4}")
      endif()
    endif()
  endforeach()
  if(count EQUAL 0)
    message(FATAL_ERROR "no internal cdr__ symbol found in ${LIB}: ${hint}")
  endif()
  fail_naming("${why}" ${wrong})
  set(internal ${count} PARENT_SCOPE)
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
  # The internals are still in the full symbol table, all local (nm -D above showed none exported).
  check_internal("" 1 LOCAL "internal symbols not local in the shared library" "is it stripped?")
  message(STATUS "${count} exported symbols, all cdr_/CDR_; ${internal} internal ones, all local")
else()
  # A defined GLOBAL cdr__ symbol must be HIDDEN.
  check_internal(GLOBAL 2 HIDDEN "internal symbols without CDR_INTERNAL (not hidden)"
                 "is readelf's output readable?")
  message(STATUS "${count} global symbols, all cdr_/CDR_; ${internal} internal ones, all hidden")
endif()
