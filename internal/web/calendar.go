package web

func (s *Server) calendarRoutes() []Route { return nil }
